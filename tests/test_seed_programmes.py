"""Seeds 001 and 003 as programmes (#26 item 5): the cluster briefing and the review conference."""

from __future__ import annotations

import json
import shutil

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main

GB = EXAMPLES / "giao-ban-cum-2023"
CB = EXAMPLES / "can-bo-2021"
ENGINE = dm.Engine(load_entry_points=False)
BRIEF = ["programmes.briefing_quarterly", "programmes.briefing_reports"]


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _failing(report, rule):
    return sorted(f.subject_id for f in report.findings
                  if f.rule == rule and f.status is dm.Status.FAIL)


def _rebuild(ds, **changes):
    fields = {"cadres": ds.cadres.values(), "positions": ds.positions, "absences": ds.absences,
              "visits": ds.visits, "meetings": ds.meetings, "members": ds.members,
              "clusters": ds.clusters, "programmes": ds.programmes}
    fields.update(changes)
    return dm.Dataset.build(ds.meta, ds.units.values(), validate=False, **fields)


class TestClusterBriefing:
    def test_check_names_the_missing_quarter_and_the_silent_unit(self, capsys):
        """`check` fails Q4 (no briefing) and H03 at the Q3 briefing, in both languages."""
        code, out, _ = run(capsys, "check", GB, "--no-plugins", "--format", "json",
                           *(x for r in BRIEF for x in ("--rule", r)))
        findings = json.loads(out)["findings"]
        fails = sorted((f["rule"], f["subject_id"]) for f in findings if f["status"] == "fail")
        assert code == 0
        assert fails == [("programmes.briefing_quarterly", "cum-1/2023-Q4"),
                         ("programmes.briefing_reports", "H03")]
        _, vi, _ = run(capsys, "check", GB, "--no-plugins", "--rule", BRIEF[0])
        _, en, _ = run(capsys, "check", GB, "--no-plugins", "--rule", BRIEF[1], "--lang", "en")
        assert "Cụm cum-1, quý 4/2023: không có hội nghị giao ban" in vi
        assert "Huyện đoàn số 3: did not report at briefing GB-CUM1-2023-Q3" in en
        # the rule ids and the (Vietnamese) source documents aside, one language per run
        assert "briefing held" not in vi and "không báo cáo tại" not in en

    def test_api_reads_chair_cluster_quarter_and_conclusions(self):
        """The API gives each briefing's chair, cluster, quarter, reports and conclusions."""
        ds = dm.load_dataset(GB)
        q1 = next(p for p in ds.programmes if p.quarter == "2023-Q1")
        assert (q1.kind, q1.cluster, q1.quarter_key()) == ("cluster_briefing", "cum-1", (2023, 1))
        assert q1.chair.startswith("Nguyễn Thành Trung")
        assert [c.unit_id for c in q1.units] == ["H01", "H02", "H03"]
        assert q1.units[0].recommendations[0].reconstructed and q1.conclusions

    def test_no_programmes_is_no_data(self):
        """A dataset with no programmes at all gets no verdict on briefings, not a failure."""
        ds = _rebuild(dm.load_dataset(GB), programmes=())
        report = ENGINE.check(ds, 2023, rules=BRIEF)
        assert [f.status for f in report.findings] == [dm.Status.NO_DATA]

    def test_briefing_without_quarter_is_exit_2(self, capsys, tmp_path):
        """A cluster briefing without its quarter is an error naming file, line and key."""
        out = tmp_path / "d"
        shutil.copytree(GB, out)
        text = (out / "programmes.toml").read_text(encoding="utf-8")
        (out / "programmes.toml").write_text(text.replace('quarter = "2023-Q2"',
                                                          'quarter = "2023-Q5"'), "utf-8")
        code, _, err = run(capsys, "validate", out, "--no-plugins")
        assert code == 2 and "Traceback" not in err
        assert "programmes.toml:" in err and "quarter" in err and "2023-Q5" in err

    def test_round_trip_keeps_the_new_fields(self, tmp_path):
        """write_dataset and JSON give back the briefings and the review figures unchanged."""
        for path in (GB, CB):
            ds = dm.load_dataset(path)
            back = dm.load_dataset(dm.write_dataset(ds, tmp_path / path.name))
            assert back.programmes == ds.programmes
            assert dm.dataset_from_json(dm.dataset_to_json(ds)).programmes == ds.programmes
        assert back.programmes[0].figures["grassroots.secretaries"] == 143


_GB_DS = dm.load_dataset(GB)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4))
def test_adding_a_briefing_never_adds_a_failure(q):
    """Adding a briefing for any quarter (missing or not) never adds a failing finding."""
    ds = _GB_DS
    p = attrs.evolve(ds.programmes[0], id=f"NEW-Q{q}", quarter=f"2023-Q{q}")
    before = ENGINE.check(ds, 2023, rules=BRIEF)
    after = ENGINE.check(_rebuild(ds, programmes=(*ds.programmes, p)), 2023, rules=BRIEF)
    assert len(_failing(after, BRIEF[0])) <= len(_failing(before, BRIEF[0]))
    assert _failing(after, BRIEF[1]) == _failing(before, BRIEF[1])
    if q == 4:
        assert _failing(after, BRIEF[0]) == []


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 1), st.data())
def test_removing_a_reporting_unit_adds_exactly_one_failure_naming_it(i, data):
    """Dropping one unit's report from a full briefing adds one failing finding, on that unit."""
    ds = _GB_DS
    p = ds.programmes[i]  # Q1 or Q2: every member reported
    j = data.draw(st.integers(0, len(p.units) - 1))
    gone = p.units[j].unit_id
    smaller = attrs.evolve(p, units=p.units[:j] + p.units[j + 1:])
    ds2 = _rebuild(ds, programmes=tuple(smaller if x is p else x for x in ds.programmes))
    before = [f for f in ENGINE.check(ds, 2023, rules=[BRIEF[1]]).findings
              if f.status is dm.Status.FAIL]
    after = [f for f in ENGINE.check(ds2, 2023, rules=[BRIEF[1]]).findings
             if f.status is dm.Status.FAIL]
    (new,) = [f for f in after if f not in before]
    assert len(after) == len(before) + 1
    assert new.subject_id == gone and new.inputs["programme"] == p.id
    assert ds.units[gone].name in new.message.vi


class TestReviewConference:
    def test_figures_cite_table_date_and_match(self, capsys):
        """Every figure of 15/11/2021 is checked against positions.csv on that day: 12 pass."""
        code, out, _ = run(capsys, "check", CB, "--no-plugins", "--format", "json",
                           "--rule", "programmes.review_figures")
        findings = json.loads(out)["findings"]
        assert code == 0 and len(findings) == 12
        assert {f["status"] for f in findings} == {"pass"}
        f = next(f for f in findings if f["subject_id"] == "SK-KL07-08:grassroots.secretaries")
        assert f["inputs"]["table"] == "positions.csv" and f["inputs"]["as_of"] == "2021-11-15"
        assert f["value"] == f["threshold"] == 143
        _, en, _ = run(capsys, "check", CB, "--no-plugins", "--lang", "en",
                       "--rule", "programmes.review_figures")
        assert ("committee members, province: the conference reported 30, the census of "
                "positions.csv on 2021-11-15: 30") in en

    def test_a_wrong_figure_fails_and_no_census_is_no_data(self):
        """A figure the data do not give fails; without positions every figure is no data."""
        ds = dm.load_dataset(CB)
        p = ds.programmes[0]
        wrong = attrs.evolve(p, figures={**p.figures, "province.committee": 31})
        r = ENGINE.check(_rebuild(ds, programmes=(wrong,)), 2021,
                         rules=["programmes.review_figures"])
        assert _failing(r, "programmes.review_figures") == ["SK-KL07-08:province.committee"]
        bad = r.finding("programmes.review_figures", "SK-KL07-08:province.committee")
        assert (bad.value, bad.threshold) == (30, 31)
        empty = ENGINE.check(_rebuild(ds, positions=()), 2021,
                             rules=["programmes.review_figures"])
        assert {f.status for f in empty.findings} == {dm.Status.NO_DATA}
        assert len(empty.findings) == 12


class TestProgrammeCommand:
    def test_briefing_report_shows_chair_reports_and_silent_unit(self, capsys):
        """`doanmodel programme` on a briefing: chair, cluster and quarter, 2/3 reported, H03."""
        code, out, _ = run(capsys, "programme", GB, "GB-CUM1-2023-Q3", "--no-plugins",
                           "--as-of", "2023-12-31")
        assert code == 0
        assert "Cụm thi đua: cum-1, quý 3/2023" in out
        assert "Đơn vị báo cáo: 2/3 đơn vị" in out and "Chưa báo cáo: H03" in out
        code, out, _ = run(capsys, "programme", GB, "GB-CUM1-2023-Q1", "--no-plugins",
                           "--lang", "en", "--format", "json", "--as-of", "2023-12-31")
        (p,) = json.loads(out)["programmes"]
        assert (p["coverage"]["covered"], p["coverage"]["planned"]) == (3, 3)
        assert p["coverage"]["missing"] == [] and len(p["topics"]) == 4
        assert (p["cluster"], p["quarter"]) == ("cum-1", "2023-Q1")
        assert p["chair"].startswith("Nguyễn Thành Trung") and p["conclusions"]

    def test_review_report_lists_the_figures(self, capsys):
        """The review conference's report lists its figures, not a coverage of 0 units."""
        code, out, _ = run(capsys, "programme", CB, "--no-plugins", "--lang", "en")
        assert code == 0 and "grassroots.secretaries = 143" in out
        assert "Coverage" not in out and "Chair: Hoàng Ngọc Hòa" in out


_CB_DS = dm.load_dataset(CB)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_figure_fails_exactly_when_it_differs_from_the_census(data):
    """Whatever figures a conference reports, a figure fails iff it is not the census's."""
    p = _CB_DS.programmes[0]
    keys = sorted(p.figures)
    chosen = data.draw(st.lists(st.sampled_from(keys), unique=True, min_size=1))
    figures = {k: data.draw(st.integers(0, 200)) for k in chosen}
    ds = _rebuild(_CB_DS, programmes=(attrs.evolve(p, figures=figures),))
    report = ENGINE.check(ds, 2021, rules=["programmes.review_figures"])
    assert len(report.findings) == len(figures)
    for key, reported in figures.items():
        f = report.finding("programmes.review_figures", f"{p.id}:{key}")
        assert (f.status is dm.Status.FAIL) == (reported != p.figures[key])
        assert f.value == p.figures[key] and f.threshold == reported


FIGURES_BAD = ['"province" = 3', '"province.bosses" = 3', '"province.committee" = -1',
               '"province.committee" = "30"', '"province.committee" = true']


@pytest.mark.parametrize("line", FIGURES_BAD)
def test_hostile_figures_are_exit_2(line, capsys, tmp_path):
    """A malformed figure is an error naming programmes.toml, its line and `figures`."""
    out = tmp_path / "d"
    shutil.copytree(CB, out)
    text = (out / "programmes.toml").read_text(encoding="utf-8")
    (out / "programmes.toml").write_text(
        text.replace('"province.committee" = 30', line), encoding="utf-8")
    code, _, err = run(capsys, "validate", out, "--no-plugins")
    assert code == 2 and "Traceback" not in err
    assert "programmes.toml:" in err and "figures" in err


def test_workbook_export_keeps_briefings(capsys, tmp_path):
    """`export` to a workbook and back gives the same briefings (chair, quarter, reports)."""
    book = tmp_path / "gb.xlsx"
    assert run(capsys, "export", GB, book, "--no-plugins")[0] == 0
    assert dm.load_dataset(book).programmes == _GB_DS.programmes


def test_coverage_and_topics_leave_both_kinds_alone():
    """A briefing or conference is not a visit: coverage and topics judge neither."""
    for path, year in ((GB, 2023), (CB, 2021)):
        report = ENGINE.check(dm.load_dataset(path), year,
                              rules=["programmes.coverage", "programmes.topics"])
        assert report.findings == () or list(report.findings) == []


def test_malformed_values_built_in_python_give_no_verdict():
    """A quarter or a figure the reader would refuse, built in Python: no crash, no verdict."""
    ds = _GB_DS
    odd = attrs.evolve(ds.programmes[0], id="ODD", quarter="2023-Q9")
    report = ENGINE.check(_rebuild(ds, programmes=(odd,)), 2023, rules=[BRIEF[0]])
    assert report.findings == () or list(report.findings) == []
    p = _CB_DS.programmes[0]
    bad = attrs.evolve(p, figures={"province.bosses": 3})
    (f,) = ENGINE.check(_rebuild(_CB_DS, programmes=(bad,)), 2021,
                        rules=["programmes.review_figures"]).findings
    assert f.status is dm.Status.NO_DATA


def test_every_briefing_finding_carries_the_practice_mark():
    """The quarterly rhythm is the project's reading of practice: every finding says [M]."""
    report = ENGINE.check(_GB_DS, 2023, rules=BRIEF)
    assert report.findings and all("[M]" in f.source for f in report.findings)
    review = ENGINE.check(_CB_DS, 2021, rules=["programmes.review_figures"])
    assert all("15/11/2021" in f.source for f in review.findings)


def test_the_briefing_rule_applies_only_where_there_are_clusters():
    """No cluster that year: no briefing finding at all; clusters but no programmes: no data."""
    engine = dm.Engine(load_entry_points=False)
    visits_only = engine.check(dm.load_dataset(EXAMPLES / "tra-vinh-2019"), 2019)
    assert visits_only.by_rule("programmes.briefing_quarterly") == []
    clusters = engine.check(dm.load_dataset(EXAMPLES / "cum-thi-dua-2023"), 2023)
    assert [f.status for f in clusters.by_rule("programmes.briefing_quarterly")] == \
        [dm.Status.NO_DATA]
