"""The annual quality rating: ratings.csv, Engine.rating, ``doanmodel rating`` (issue #26)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.rules._rating import cap_of

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "xep-loai-2024"
L = dm.RatingLevel
S = dm.RatingStage


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def ds():
    return dm.load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def report(ds):
    return dm.Engine(load_entry_points=False).rating(ds)


# ---------------------------------------------------------------------------- the example
def test_the_example_fails_exactly_the_broken_cap_the_missing_stage_and_the_ceiling(report):
    failed = sorted((f.rule, f.subject_id) for f in report.failed)
    assert failed == [("rating.cap", "XL-X2"), ("rating.ceiling", "XL-X1-A-03"),
                      ("rating.stages", "XL-X1-B-02")]
    cap = next(f for f in report.findings if f.rule == "rating.cap" and f.subject_id == "XL-X2")
    assert cap.message.get("en") == "2 excellent / 4 good or better: at most 0"
    ok = next(f for f in report.findings if f.rule == "rating.cap" and f.subject_id == "XL-X1")
    assert ok.status == "pass" and "2 excellent / 12" in ok.message.get("en")


def test_the_example_stages_ceilings_and_vietnamese_input(report):
    a03 = report.subject("member", "XL-X1-A-03")
    assert [e.stage for e in a03.stages] == list(S)
    assert a03.decided is L.EXCELLENT and a03.ceiling is L.GOOD
    assert "6/8" in a03.ceiling_reason.get("en")
    assert report.subject("member", "XL-X1-B-02").missing == (S.SELF,)
    assert report.subject("member", "XL-X2-A-05").ceiling is L.COMPLETE  # joined in July
    x1 = report.subject("grassroots", "XL-X1")  # written with the Vietnamese labels
    assert [e.stage for e in x1.stages] == [S.SELF, S.APPRAISAL, S.DECISION]
    assert x1.decided is L.GOOD and x1.missing == ()
    nodata = [f for f in report.findings if f.subject_id == "XL-X1" and f.rule == "rating.ceiling"]
    assert [f.status for f in nodata] == ["no_data"]


def test_every_rule_cites_its_document_and_marks_what_is_practice(report):
    for rule, text in report.sources.items():
        for lang in ("vi", "en"):
            assert "124-QĐ/TW" in text.get(lang) or "25-HD/TWĐTN-BTC" in text.get(lang), rule
    assert "[M]" in report.sources["rating.cap"].get("en")
    assert all(f.source == report.sources[f.rule] for f in report.findings)


def test_the_report_round_trips_through_its_json(report):
    assert dm.RatingReport.from_json(report.to_json()) == report
    assert dm.RatingReport.from_json(report.to_json("en")) == report
    assert dm.RatingReport.from_json(dm.to_json(report, exact=True)) == report


def test_a_dataset_without_ratings_says_no_data_never_fail():
    folder = EXAMPLE.parent / "tra-vinh-2019"
    r = dm.Engine(load_entry_points=False).rating(dm.load_dataset(folder))
    assert r.ok and [f.status for f in r.findings] == ["no_data"]
    code, out, _ = run("rating", folder, "--lang", "en")
    assert code == 0 and "no data" in out


# ---------------------------------------------------------------------------- the CLI
def test_cli_formats_languages_and_exit_code(tmp_path):
    code, out, _ = run("rating", EXAMPLE, "--format", "json", "--lang", "en")
    assert code == 1
    data = json.loads(out)
    assert data["year"] == 2024 and data["ok"] is False
    assert {f["status"] for f in data["findings"]} == {"pass", "fail", "no_data"}
    code, out, _ = run("rating", EXAMPLE, "--format", "csv", "--lang", "en")
    assert out.splitlines()[0] == ("subject_type,subject_id,self,collective,appraisal,decision,"
                                   "ceiling,status,findings")
    assert "member,XL-X1-A-03,excellent,excellent,excellent,excellent,good,fail,rating.ceiling" \
        in out
    code, vi, _ = run("rating", EXAMPLE)
    assert "hoàn thành xuất sắc nhiệm vụ" in vi and "excellent" not in vi
    code, en, _ = run("rating", EXAMPLE, "--lang", "en")
    assert "hoàn thành" not in en.split("\n", 1)[1] and "Politburo" in en
    book = tmp_path / "r.xlsx"
    assert run("rating", EXAMPLE, "--xlsx", book)[0] == 1 and book.stat().st_size > 0
    code, _, err = run("rating", EXAMPLE, "--xlsx", book)
    assert code == 2 and "--force" in err


def test_cli_other_year_has_no_data():
    code, out, _ = run("rating", EXAMPLE, "--year", "2023", "--format", "json")
    assert code == 0 and [f["status"] for f in json.loads(out)["findings"]] == ["no_data"]


def test_bad_ratings_csv_names_file_line_column_all_at_once(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "ratings.csv").read_text(encoding="utf-8").splitlines()
    text[1] = "member,XL-X1-A-01,2024,selfish,excellent,XL-X1-A-01,2024-11-20,"
    text[2] = "member,XL-X1-A-01,20x4,collective,very good,XL-X1-A,2024-13-27,"
    (folder / "ratings.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _, err = run("rating", folder, "--lang", "en")
    assert code == 2 and "Traceback" not in err
    for where in ("ratings.csv:2: stage", "ratings.csv:3: year", "ratings.csv:3: level",
                  "ratings.csv:3: on"):
        assert where in err, err


def test_html_in_both_languages(report):
    vi, en = dm.to_html(report, "vi"), dm.to_html(report, "en")
    assert 'lang="vi"' in vi and "thẩm định" in vi and "appraisal" not in vi
    assert 'lang="en"' in en and "appraisal" in en and "thẩm định" not in en
    assert "<h1>" in report._repr_html_()


# ---------------------------------------------------------------------------- properties
def _ds():
    return dm.load_dataset(EXAMPLE)


_DS = None


def _engine_rate(rows):
    global _DS  # noqa: PLW0603 - one load for every example Hypothesis draws
    if _DS is None:
        _DS = _ds()
    return dm.Engine(load_entry_points=False).rating(_DS, 2024, ratings=rows)


MEMBERS = [f"XL-X1-A-{i:02d}" for i in range(1, 9)] + [f"XL-X2-A-{i:02d}" for i in range(1, 6)]
levels = st.sampled_from(list(L))


@st.composite
def ratings(draw):
    rows = []
    for m in draw(st.lists(st.sampled_from(MEMBERS), unique=True, min_size=1)):
        stages = draw(st.sets(st.sampled_from(list(S))))
        level = draw(levels)
        for s in sorted(stages, key=lambda s: s.order):
            rows.append(dm.RatingEntry(subject_type="member", subject_id=m, year=2024, stage=s,
                                       level=level, by=m[:5],
                                       on=dt.date(2024, 11, 1 + 5 * s.order)))
    return rows


@settings(max_examples=40, deadline=None)
@given(ratings())
def test_a_decision_above_the_ceiling_always_fails(rows):
    r = _engine_rate(rows)
    for s in r.subjects:
        if s.decided is not None and s.ceiling is not None and s.decided.rank > s.ceiling.rank:
            assert any(f.rule == "rating.ceiling" and f.status == "fail"
                       and f.subject_id == s.subject_id for f in r.findings)


@settings(max_examples=40, deadline=None)
@given(ratings(), st.data())
def test_adding_a_missing_stage_never_adds_a_failure(rows, data):
    r = _engine_rate(rows)
    gaps = [(s, st_) for s in r.subjects for st_ in s.missing]
    if not gaps:
        return
    s, stage = data.draw(st.sampled_from(gaps))
    level = s.stages[0].level
    added = [*rows, dm.RatingEntry(subject_type="member", subject_id=s.subject_id, year=2024,
                                   stage=stage, level=level, by=s.subject_id[:5],
                                   on=dt.date(2024, 11, 1 + 5 * stage.order))]
    after = _engine_rate(added)
    assert {(f.rule, f.subject_id) for f in after.failed} <= \
        {(f.rule, f.subject_id) for f in r.failed}


@settings(max_examples=60, deadline=None)
@given(st.lists(levels, min_size=1, max_size=30))
@example([L.EXCELLENT] * 1 + [L.GOOD] * 4)   # 1 of 5: at most 1
@example([L.EXCELLENT] * 2 + [L.GOOD] * 3)   # 2 of 5: at most 1, fails
def test_the_cap_fails_exactly_when_the_count_exceeds_it(decided):
    rows = [dm.RatingEntry(subject_type="member", subject_id=f"M{i}", year=2024,
                           stage=S.DECISION, level=lv, by="XL-X1")
            for i, lv in enumerate(decided)]
    r = _engine_rate(rows)
    excellent = decided.count(L.EXCELLENT)
    base = excellent + decided.count(L.GOOD)
    cap = [f for f in r.findings if f.rule == "rating.cap"]
    assert len(cap) == 1
    assert (cap[0].status == "fail") == (excellent > cap_of(base)) == (excellent * 5 > base
                                                                       and excellent > base // 5)


def test_a_workbook_dataset_has_no_rating_sheet_yet_so_no_data():
    book = EXAMPLE.parent / "cum-thi-dua-2023.xlsx"
    code, out, _ = run("rating", book, "--format", "json", "--lang", "en")
    assert code == 0
    assert [f["status"] for f in json.loads(out)["findings"]] == ["no_data"]
