"""Stages of an emulation score (issue 26, item 2): ``indicators.csv`` column ``stage``."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.model._entities import Indicator
from doanmodel.model._enums import ScoreStage

STAGED = EXAMPLES / "cham-diem-2023"
PLAIN = EXAMPLES / "cum-thi-dua-2023"


def _json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--format", "json", "--no-plugins"])
    return code, json.loads(capsys.readouterr().out)


def _standings(data: dict) -> dict[str, dict]:
    return {s["unit_id"]: s for c in data["clusters"] for s in c["standings"]}


def _board(ds: dm.Dataset) -> dict[str, dm.Standing]:
    board = dm.Engine(load_entry_points=False).score(ds, year=2023)
    return {s.unit_id: s for c in board.clusters for s in c.standings}


def _with(ds: dm.Dataset, indicators) -> dm.Dataset:
    return dm.Dataset.build(ds.meta, ds.units.values(), targets=ds.targets,
                            clusters=ds.clusters, criteria=ds.criteria,
                            indicators=indicators, validate=False)


class TestScoreCli:
    def test_latest_stage_is_used_and_self_total_shown(self, capsys):
        """`score --format json` uses the verified figures and shows each unit's self-score."""
        code, data = _json(capsys, "score", str(STAGED))
        assert code == 0
        by = _standings(data)
        plain = _standings(_json(capsys, "score", str(PLAIN), "--cluster", "cum-1")[1])
        for uid in ("H01", "H02", "H03"):  # the verified figures are the plain example's
            assert by[uid]["total"] == plain[uid]["total"]
        assert by["H01"]["self_total"] == 366 and by["H01"]["deviation"] == 14.41
        assert by["H02"]["self_total"] == 308 and by["H02"]["deviation"] == 10
        assert by["H03"]["self_total"] is None and by["H03"]["deviation"] is None
        assert by["H01"]["exact"]["deviation"].startswith("14.41176")

    def test_plain_dataset_has_no_self_total(self, capsys):
        """Without a stage column every standing has self_total and deviation null."""
        _, data = _json(capsys, "score", str(PLAIN))
        assert all(s["self_total"] is None and s["deviation"] is None and s["stages"] == []
                   for s in _standings(data).values())

    def test_cross_check_is_used_where_nothing_was_verified(self, capsys):
        """A figure whose last stage is the cross-check is scored on the cross-check."""
        _, data = _json(capsys, "explain", str(STAGED), "H02")
        rows = [s for s in data["stages"] if s["indicator"] == "creative_model"]
        assert [(s["stage"], s["used"]) for s in rows] == [("self", False),
                                                           ("cross_check", True)]
        assert rows[1]["by"] == "H01" and rows[1]["on"] == "2023-12-20"

    def test_csv_carries_self_total(self, capsys):
        """The CSV form has a self_total and a deviation column."""
        main(["score", str(STAGED), "--format", "csv", "--no-plugins"])
        head, h01 = capsys.readouterr().out.splitlines()[:2]
        cols = head.split(",")
        assert h01.split(",")[cols.index("self_total")] == "366"
        assert h01.split(",")[cols.index("deviation")] == "14.41"


class TestExplain:
    @pytest.mark.parametrize(("lang", "words"), [
        ("vi", ("Các bước chấm điểm", "party_introductions: tự chấm 34 (H01, 08/12/2023) → "
                "chấm chéo 31 (H02, 20/12/2023) → thẩm định 31", "(Tỉnh đoàn, 08/01/2024) [dùng]",
                "chênh lệch (tự chấm − được dùng) +14.41")),
        ("en", ("Stages of the score", "self-score 34 (H01, 2023-12-08)",
                "(Tỉnh đoàn, 2024-01-08) [used]", "deviation (self − used) +14.41")),
    ])
    def test_story_stage_by_stage(self, capsys, lang, words):
        """`explain` tells each figure stage by stage, who and when, in the chosen language."""
        assert main(["explain", str(STAGED), "H01", "--no-plugins", "--lang", lang]) == 0
        out = capsys.readouterr().out
        for w in words:
            assert w in out

    def test_no_self_score_said(self, capsys):
        """A unit with only verified figures is told to have no self-score."""
        main(["explain", str(STAGED), "H03", "--no-plugins", "--lang", "en"])
        assert "No self-score this year" in capsys.readouterr().out


class TestLoading:
    def test_vietnamese_stage_labels(self):
        """`thẩm định`, `tự chấm`, `chấm chéo` and `kiểm tra chéo` are read as stages."""
        ds = dm.load_dataset(STAGED)
        assert {i.stage for i in ds.indicators if i.unit_id == "H03"} == {ScoreStage.VERIFIED}

    def test_duplicate_within_a_stage(self, tmp_path):
        """Two rows of one stage for the same figure are an error naming file and line."""
        shutil.copytree(STAGED, tmp_path / "d")
        path = tmp_path / "d" / "indicators.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.append(lines[1])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(dm.DatasetError) as err:
            dm.load_dataset(tmp_path / "d")
        (p,) = err.value.problems
        assert (p.file, p.line, p.column) == ("indicators.csv", len(lines), "indicator")
        assert "stage self" in p.message.en

    def test_bad_stage(self, tmp_path):
        """An unknown stage names the allowed ones."""
        shutil.copytree(STAGED, tmp_path / "d")
        path = tmp_path / "d" / "indicators.csv"
        text = path.read_text(encoding="utf-8").replace(",self,", ",draft,", 1)
        path.write_text(text, encoding="utf-8")
        with pytest.raises(dm.DatasetError) as err:
            dm.load_dataset(tmp_path / "d")
        (p,) = err.value.problems
        assert p.column == "stage" and "cross_check" in p.message.en

    def test_round_trip(self, tmp_path):
        """write_dataset and the JSON form give back the same stages, by, on and ballots."""
        ds = dm.load_dataset(STAGED)
        for back in (dm.load_dataset(dm.write_dataset(ds, tmp_path / "out")),
                     dm.dataset_from_json(dm.dataset_to_json(ds))):
            assert back == ds and back.ballots == ds.ballots and len(ds.ballots) == 3


# ---------------------------------------------------------------------------- properties
_BASE = dm.load_dataset(PLAIN)
# the year's figures of cluster 1 (a quarter's figure is not the year's score)
_ROWS = [i for i in _BASE.indicators if i.unit_id in ("H01", "H02", "H03")
         and str(i.period) == "2023"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pick=st.integers(0, len(_ROWS) - 1), change=st.integers(-5, 5))
def test_later_stage_changes_only_that_unit(pick, change):
    """Adding a verified stage to one figure changes only that unit's total used."""
    row = _ROWS[pick]
    before = _board(_BASE)
    later = Indicator(unit_id=row.unit_id, period=row.period, indicator=row.indicator,
                      value=max(Decimal(0), row.value + change), stage=ScoreStage.VERIFIED)
    own = [Indicator(unit_id=i.unit_id, period=i.period, indicator=i.indicator,
                     value=i.value, stage=ScoreStage.SELF) if i is row else i
           for i in _BASE.indicators]
    after = _board(_with(_BASE, [*own, later]))
    for uid, s in before.items():
        if uid != row.unit_id:
            assert after[uid].total == s.total
    assert after[row.unit_id].self_total == before[row.unit_id].total


@settings(max_examples=10, deadline=None)
@given(stage=st.sampled_from(list(ScoreStage)))
def test_one_stage_only(stage):
    """With one stage for every figure, self_total is the total (deviation 0) exactly when
    that stage is self; otherwise there is no self-score."""
    ds = _with(_BASE, [Indicator(unit_id=i.unit_id, period=i.period, indicator=i.indicator,
                                 value=i.value, stage=stage) for i in _BASE.indicators])
    plain = _board(_BASE)
    for uid, s in _board(ds).items():
        assert s.total == plain[uid].total and s.rank == plain[uid].rank
        if stage is ScoreStage.SELF:
            assert s.self_total == s.total and s.deviation == 0
        else:
            assert s.self_total is None and s.deviation is None


# ---------------------------------------------------------------------------- ballots
class TestBallots:
    def test_award_follows_the_ballot(self, capsys):
        """With award_by = "ballot" the council's vote gives the award; the ranks stay."""
        _, data = _json(capsys, "score", str(STAGED), "--lang", "en")
        by = _standings(data)
        assert [by[u]["rank"] for u in ("H01", "H02", "H03")] == [1, 2, 3]
        assert by["H02"]["award"] == "Emulation flag of the Provincial Union Executive Committee"
        assert by["H01"]["award"].startswith("Certificate of merit")
        assert by["H03"]["award"] is None and by["H03"]["award_reason"].startswith("no data")
        assert "5 of 9" in by["H02"]["award_reason"]

    def test_without_ballots_no_award_from_rank(self, tmp_path, capsys):
        """A set requiring ballots and no ballots.csv: no award is taken from the rank."""
        shutil.copytree(STAGED, tmp_path / "d")
        (tmp_path / "d" / "ballots.csv").unlink()
        _, data = _json(capsys, "score", str(tmp_path / "d"), "--lang", "en")
        for s in _standings(data).values():
            assert s["award"] is None and "no ballots.csv" in s["award_reason"]

    def test_even_split_is_no_award(self):
        """4 votes of 8 is not more than half: no award."""
        ds = dm.load_dataset(STAGED)
        vote = dm.Ballot(cluster_id="cum-1", year=2023, unit_id="H01", votes_for=4, voters=8,
                         award="Cờ thi đua của Ban Chấp hành Tỉnh đoàn")
        s = _board_with(ds, [vote])["H01"]
        assert s.award is None and "no majority" in s.award_reason.en

    def test_ballot_for_unranked_unit(self):
        """A ballot for a unit with no data gives no award, saying why."""
        ds = dm.load_dataset(STAGED)
        ds = _with(ds, [i for i in ds.indicators if i.unit_id != "H03"])
        vote = dm.Ballot(cluster_id="cum-1", year=2023, unit_id="H03", votes_for=9, voters=9,
                         award="Cờ thi đua của Ban Chấp hành Tỉnh đoàn")
        s = _board_with(ds, [vote])["H03"]
        assert s.rank is None and s.award is None and "not ranked" in s.award_reason.en

    def test_bad_ballot_line(self, tmp_path):
        """More votes than voters is an error naming the file, line and column."""
        shutil.copytree(STAGED, tmp_path / "d")
        path = tmp_path / "d" / "ballots.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",5,9,", ",10,9,"),
                        encoding="utf-8")
        with pytest.raises(dm.DatasetError) as err:
            dm.Engine(load_entry_points=False).score(dm.load_dataset(tmp_path / "d"))
        (p,) = err.value.problems
        assert (p.file, p.line, p.column) == ("ballots.csv", 4, "votes_for")

    def test_set_needs_the_source(self, tmp_path):
        """award_by = "ballot" without ballot_source is a criteria error."""
        shutil.copytree(STAGED, tmp_path / "d")
        path = tmp_path / "d" / "criteria.toml"
        text = path.read_text(encoding="utf-8")
        start = text.index("ballot_source")
        path.write_text(text[:start] + text[text.index("\n#", start) + 1:], encoding="utf-8")
        with pytest.raises(dm.DoanmodelError, match="ballot_source"):
            dm.Engine(load_entry_points=False).score(dm.load_dataset(tmp_path / "d"))


def _board_with(ds, ballots) -> dict[str, dm.Standing]:
    board = dm.Engine(load_entry_points=False).score(ds, year=2023, ballots=ballots)
    return {s.unit_id: s for c in board.clusters for s in c.standings}


_STAGED = dm.load_dataset(STAGED)
_AWARDS = ("Cờ thi đua của Ban Chấp hành Tỉnh đoàn", "Bằng khen của Ban Chấp hành Tỉnh đoàn")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(votes=st.lists(st.tuples(st.sampled_from(("H01", "H02", "H03")),
                                st.sampled_from(_AWARDS), st.integers(0, 9)),
                      max_size=6, unique_by=lambda v: v[:2]))
def test_ballot_never_changes_ranks(votes):
    """Whatever the council votes, every unit keeps its rank and total."""
    plain = _board_with(_STAGED, [])
    voted = _board_with(_STAGED, [dm.Ballot(cluster_id="cum-1", year=2023, unit_id=u, award=a,
                                            votes_for=n, voters=9) for u, a, n in votes])
    for uid, s in plain.items():
        assert (voted[uid].rank, voted[uid].total) == (s.rank, s.total)


class TestOtherOutputs:
    def test_html_and_workbook(self, tmp_path):
        """The notebook HTML and the workbook carry the self-score and the deviation."""
        openpyxl = pytest.importorskip("openpyxl")
        board = dm.Engine(load_entry_points=False).score(dm.load_dataset(STAGED))
        html = dm.to_html(board, "en")
        assert "self-score" in html and "deviation" in html and "14.41" in html
        story = dm.to_html(board.explain("H01"), "en")
        assert "Stages of the score" in story and "2023-12-08" in story
        dm.write_excel(board, tmp_path / "b.xlsx")
        ws = openpyxl.load_workbook(tmp_path / "b.xlsx").worksheets[1]
        cells = [c.value for row in ws.iter_rows() for c in row]
        assert "tự chấm" in cells and "chênh lệch" in cells


# ---------------------------------------------------------------------------- tolerance
def _tolerance(tmp_path, lines: str):
    shutil.copytree(STAGED, tmp_path / "d")
    path = tmp_path / "d" / "criteria.toml"
    path.write_text(lines + path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "d"


class TestTolerance:
    def test_sourced_tolerance_fails_the_unit_above_it(self, tmp_path, capsys):
        """A self-score more than the set's tolerance above the total used fails, citing the
        set's source; one within it passes; no self-score is no data."""
        path = _tolerance(tmp_path, 'deviation_max_points = 10\n'
                                    'deviation_source = "Hướng dẫn X (thử)"\n')
        _, data = _json(capsys, "score", str(path), "--lang", "en")
        by = _standings(data)
        assert [by[u]["deviation_status"] for u in ("H01", "H02", "H03")] == [
            "fail", "pass", "no_data"]
        assert "14.41 points above" in by["H01"]["deviation_note"]
        assert "Hướng dẫn X (thử)" in by["H01"]["deviation_note"]
        assert [by[u]["rank"] for u in ("H01", "H02", "H03")] == [1, 2, 3]

    def test_share_tolerance(self, tmp_path, capsys):
        """A tolerance as a share of the total used (3% of 298 = 8.94 < 10: H02 fails)."""
        path = _tolerance(tmp_path, 'deviation_max_share = 0.03\n'
                                    'deviation_source = "Hướng dẫn X (thử)"\n')
        _, data = _json(capsys, "score", str(path))
        assert _standings(data)["H02"]["deviation_status"] == "fail"

    def test_without_a_document_it_is_refused(self, tmp_path):
        """A tolerance with no deviation_source is a criteria error, never applied."""
        path = _tolerance(tmp_path, "deviation_max_points = 10\n")
        with pytest.raises(dm.DoanmodelError, match="deviation_source"):
            dm.Engine(load_entry_points=False).score(dm.load_dataset(path))

    def test_no_tolerance_no_status(self, capsys):
        """Without a tolerance the standings carry no deviation status."""
        _, data = _json(capsys, "score", str(STAGED))
        assert all(s["deviation_status"] is None for s in _standings(data).values())


def test_a_bad_ballot_comes_with_the_other_problems(tmp_path, capsys):
    """A bad stage in indicators.csv and a bad count in ballots.csv: both lines at once, exit 2,
    and the files are left as they were."""
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLES / "cham-diem-2023", folder)
    ind = (folder / "indicators.csv").read_text(encoding="utf-8").splitlines()
    head = ind[0].split(",")
    first = ind[1].split(",")
    first[head.index("stage")] = "nosuch"
    ind[1] = ",".join(first)
    (folder / "indicators.csv").write_text("\n".join(ind) + "\n", encoding="utf-8")
    bal = (folder / "ballots.csv").read_text(encoding="utf-8").splitlines()
    cells = bal[1].split(",")
    cells[4] = "abc"  # votes_for
    bal[1] = ",".join(cells)
    (folder / "ballots.csv").write_text("\n".join(bal) + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert main(["validate", str(folder), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "indicators.csv:2: stage:" in err and "ballots.csv:2: votes_for:" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
