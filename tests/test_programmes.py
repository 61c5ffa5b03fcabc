"""Work programmes: programmes.toml, the rules over programmes and `doanmodel programme`."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main

KT = EXAMPLES / "kiem-tra-2023"
TG = EXAMPLES / "tien-giang-2024"
END_2024 = "2024-12-31"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestCommand:
    def test_inspection_covers_24_of_24(self, capsys):
        """The 2023 inspection reports 24/24 units, 12 + 12 by level, in its period."""
        code, out, _ = run(capsys, "programme", KT, "--no-plugins")
        assert code == 0
        assert "24/24 đơn vị (12/12 cấp trên cơ sở, 12/12 cơ sở), 7–10/11/2023" in out
        code, out, _ = run(capsys, "programme", KT, "--no-plugins", "--lang", "en")
        assert "24/24 units (12/12 upper-grassroots, 12/12 grassroots), 7–10 November 2023" in out

    def test_inspection_json(self, capsys):
        """JSON gives the coverage, the 8 × 24 matrix and the open recommendation."""
        code, out, _ = run(capsys, "programme", KT, "KT-2023", "--format", "json",
                           "--as-of", END_2024, "--no-plugins")
        data = json.loads(out)
        (p,) = data["programmes"]
        assert code == 0 and p["coverage"]["covered"] == p["coverage"]["planned"] == 24
        assert p["coverage"]["missing"] == [] and len(p["topics"]) == 8
        assert len(p["matrix"]) == 24
        assert p["matrix"][14]["results"]["phan-mem"] == "issue"
        assert [(r["id"], r["overdue_days"], r["addressee"]) for r in
                p["open_recommendations"]] == [("KT23-KN-02", 184, "party_committee")]

    def test_tien_giang_sessions_and_open_requests(self, capsys):
        """The Tiền Giang example shows both sessions and their open requests, overdue first."""
        code, out, _ = run(capsys, "programme", TG, "--as-of", END_2024, "--no-plugins")
        assert code == 0
        assert "TG-CL  Thị Đoàn Cai Lậy    24/4/2024" in out
        assert "TG-CG  Huyện Đoàn Chợ Gạo  2/5/2024" in out
        assert "Kiến nghị còn mở (tính đến 31/12/2024): 8, quá hạn 6" in out
        assert "cấp ủy Đảng (BTV Thị ủy Cai Lậy)" in out

    def test_one_language_per_run(self, capsys):
        """English output has no Vietnamese label and Vietnamese output no English one."""
        _, en, _ = run(capsys, "programme", TG, "--lang", "en", "--as-of", END_2024,
                       "--no-plugins")
        _, vi, _ = run(capsys, "programme", TG, "--as-of", END_2024, "--no-plugins")
        for word in ("Căn cứ", "Độ bao phủ", "Kiến nghị", "quá hạn", "đơn vị được làm việc",
                     "chưa kiểm tra", "làm việc với đơn vị"):
            assert word not in en
        for word in ("Source", "Coverage", "Open recommendations", "overdue", "the unit itself",
                     "not covered", "working session"):
            assert word not in vi

    def test_csv_one_row_per_unit(self, capsys):
        """CSV has a header and one row per programme and unit."""
        code, out, _ = run(capsys, "programme", KT, "--format", "csv", "--no-plugins")
        lines = out.strip().splitlines()
        assert code == 0 and lines[0].startswith("programme_id,unit_id,") and len(lines) == 25
        assert "KT-2023,H08-CS,Đoàn cơ sở thuộc đơn vị 8,cơ sở,true,2023-11-09,7,1,0," in out

    def test_unknown_programme_is_exit_2(self, capsys):
        """Naming a programme the dataset does not have is bad input: exit 2, known ids listed."""
        code, _, err = run(capsys, "programme", KT, "KT-2099", "--no-plugins")
        assert code == 2 and "KT-2099" in err and "KT-2023" in err and "Traceback" not in err

    def test_html_written_once(self, capsys, tmp_path):
        """--html writes an escaped page, refuses to overwrite without --force or via a link."""
        page = tmp_path / "kt.html"
        assert run(capsys, "programme", KT, "--html", page, "--no-plugins")[0] == 0
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and "H12-CS" in text
        code, _, err = run(capsys, "programme", KT, "--html", page, "--no-plugins")
        assert code == 2 and "--force" in err and "đã có" in err and "exists" not in err
        code, _, err = run(capsys, "programme", KT, "--html", page, "--no-plugins", "--lang", "en")
        assert code == 2 and "exists; use --force" in err
        assert run(capsys, "programme", KT, "--html", page, "--force", "--no-plugins")[0] == 0
        link = tmp_path / "link.html"
        os.symlink(tmp_path / "elsewhere.html", link)
        code, _, err = run(capsys, "programme", KT, "--html", link, "--no-plugins")
        assert code == 2 and not (tmp_path / "elsewhere.html").exists()


class TestCheck:
    def test_inspection_team_is_not_judged_by_the_quota(self, capsys):
        """A programme record no longer reads '57 short' for each inspection team member."""
        report = dm.Engine(load_entry_points=False).check(dm.load_dataset(KT), 2023)
        assert report.by_rule("visits.quota") == []
        cov = report.finding("programmes.coverage", "KT-2023")
        assert (cov.status, cov.value, cov.threshold) == (dm.Status.PASS, 24, 24)
        assert cov.source.startswith("Chương trình công tác Đoàn")

    def test_overdue_requests_name_whom_they_wait_on(self):
        """Open requests past due fail at the end of 2024, naming the addressee."""
        report = dm.Engine(load_entry_points=False).check(dm.load_dataset(TG), 2024)
        failed = [f for f in report.by_rule("programmes.recommendations")
                  if f.status is dm.Status.FAIL]
        assert len(failed) == 6
        assert "waiting on the unit itself" in failed[0].message.en

    def test_programme_visits_count_toward_the_quota(self):
        """A cadre with an ordinary visit is judged, with the programme's days counted too."""
        ds = dm.load_dataset(KT)
        extra = dm.Visit(id="X1", cadre_id="KT1", unit_id="H01", start=dt.date(2023, 3, 1),
                         end=dt.date(2023, 3, 2), purpose=dm.VisitPurpose.SURVEY)
        ds2 = _rebuild(ds, visits=[*ds.visits, extra])
        quota = dm.Engine(load_entry_points=False).check(ds2, 2023).by_rule("visits.quota")
        assert [(f.subject_id, f.value) for f in quota if f.subject_type == "cadre"] == [
            ("KT1", 2 + 3)]

    def test_report_deadline_only_where_the_document_sets_one(self):
        """With report_within_days the programme's visits are judged under its document."""
        ds = dm.load_dataset(KT)
        p = attrs.evolve(ds.programmes[0], report_within_days=10, document="KH 99-KH/TĐTN")
        findings = dm.Engine(load_entry_points=False).check(
            _rebuild(ds, programmes=[p]), 2023).by_rule("programmes.report_deadline")
        assert len(findings) == 24 and {f.source for f in findings} == {"KH 99-KH/TĐTN"}
        late = {f.subject_id for f in findings if f.status is dm.Status.FAIL}
        assert late == {v.id for v in ds.visits if (v.report_on - v.start).days > 10}


class TestData:
    def test_round_trips(self, tmp_path):
        """JSON and directory round trips keep the programmes unchanged."""
        for path in (KT, TG):
            ds = dm.load_dataset(path)
            assert dm.dataset_from_json(dm.dataset_to_json(ds)) == ds
            back = dm.load_dataset(dm.write_dataset(ds, tmp_path / path.name))
            assert back.programmes == ds.programmes and back == ds

    def test_errors_have_line_and_key_all_at_once(self, tmp_path):
        """Bad programmes.toml values are reported with their own line and key, together."""
        out = tmp_path / "d"
        shutil.copytree(TG, out)
        text = (out / "programmes.toml").read_text(encoding="utf-8")
        text = text.replace('kind = "working_session"', 'kind = "working_session"\ncolour = 1')
        text = text.replace('meetings = ["TG24-LV-CG"]', 'meetings = ["NOPE"]')
        (out / "programmes.toml").write_text(text, encoding="utf-8")
        lines = text.splitlines()
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(out)
        got = {(p.file, p.line, p.column) for p in info.value.problems}
        assert got == {("programmes.toml", lines.index("colour = 1") + 1, "colour"),
                       ("programmes.toml", lines.index('meetings = ["NOPE"]') + 1, "meetings")}


# ---------------------------------------------------------------------------- properties
def _rebuild(ds, **changes):
    fields = {"cadres": ds.cadres.values(), "positions": ds.positions, "absences": ds.absences,
                  "visits": ds.visits, "meetings": ds.meetings, "members": ds.members,
                  "programmes": ds.programmes}
    fields.update(changes)
    return dm.Dataset.build(ds.meta, ds.units.values(), validate=False, **fields)


def _world(n_units, planned, visits, recs):
    """A province P with n upper-grassroots units, a programme and its visits."""
    meta = dm.DatasetMeta(name="t", root="P", year=2023)
    units = [dm.Unit(id="P", versions=(dm.UnitVersion(id="P", name="P",
                                                      level=dm.Level.PROVINCE),))]
    units += [dm.Unit(id=f"H{i}", versions=(dm.UnitVersion(id=f"H{i}", name=f"H{i}", parent_id="P",
                                               level=dm.Level.UPPER_GRASSROOTS),))
              for i in range(n_units)]
    cadre = dm.Cadre(id="C", name="C")
    vs = [dm.Visit(id=f"V{k}", cadre_id="C", unit_id=f"H{u % n_units}",
                   start=dt.date(2023, 1, 1) + dt.timedelta(days=d), purpose=purpose)
          for k, (u, d, purpose) in enumerate(visits)]
    entries = [dm.ProgrammeUnit(unit_id=f"H{u % n_units}", recommendations=tuple(
        dm.Recommendation(id=f"R{u}-{j}", text="r", addressee=dm.Addressee.UNIT,
                          due=dt.date(2023, 1, 1) + dt.timedelta(days=due))
        for j, due in enumerate(rs))) for u, rs in sorted(recs.items())]
    entries = list({e.unit_id: e for e in entries}.values())
    p = dm.Programme(id="KT", kind="inspection", title="t", start=dt.date(2023, 3, 1),
                     end=dt.date(2023, 9, 30), document="KH 1",
                     targets=tuple(f"H{i}" for i in sorted(planned) if i < n_units),
                     units=tuple(entries))
    return dm.Dataset.build(meta, units, cadres=[cadre], visits=vs, programmes=[p],
                            validate=False)  # an empty plan too


_PURPOSES = st.sampled_from([dm.VisitPurpose.INSPECTION, dm.VisitPurpose.SURVEY])
_VISITS = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 364), _PURPOSES), max_size=12)
_RECS = st.dictionaries(st.integers(0, 9), st.lists(st.integers(0, 364), max_size=3), max_size=4)
ENGINE = dm.Engine(load_entry_points=False)


def _coverage(ds):
    return ENGINE.programme(ds, as_of=dt.date(2023, 12, 31)).programmes[0]


@given(st.integers(1, 10), st.sets(st.integers(0, 9)), _VISITS, _RECS)
@example(1, {0}, [(0, 59, dm.VisitPurpose.INSPECTION)], {})  # the period's first day
def test_coverage_never_exceeds_the_plan(n, planned, visits, recs):
    """Covered planned units are a subset of the plan, in the report and in the rule."""
    ds = _world(n, planned, visits, recs)
    s = _coverage(ds)
    assert set(s.covered) <= set(s.planned) and len(s.covered) + len(s.missing) == len(s.planned)
    f = ENGINE.check(ds, 2023, rules=["programmes.coverage"]).finding("programmes.coverage", "KT")
    assert f.value <= f.threshold == len(s.planned)


@given(st.integers(1, 10), st.sets(st.integers(0, 9)), _VISITS, _RECS,
       st.tuples(st.integers(0, 9), st.integers(0, 364), _PURPOSES))
def test_adding_a_visit_never_reduces_coverage(n, planned, visits, recs, new):
    """One more visit leaves every covered unit covered (and may cover one more)."""
    before = _coverage(_world(n, planned, visits, recs))
    after = _coverage(_world(n, planned, [*visits, new], recs))
    assert set(before.covered) <= set(after.covered)
    assert set(before.outside_plan) <= set(after.outside_plan)


@given(st.integers(1, 10), st.sets(st.integers(0, 9)), _VISITS, _RECS, st.data())
def test_closing_a_recommendation_never_adds_an_overdue_finding(n, planned, visits, recs, data):
    """Closing any recommendation, on any day, never makes a new overdue failure."""
    ds = _world(n, planned, visits, recs)
    recs_all = [(i, j) for i, e in enumerate(ds.programmes[0].units)
                for j in range(len(e.recommendations))]
    if not recs_all:
        return
    i, j = data.draw(st.sampled_from(recs_all))
    closed_on = dt.date(2023, 1, 1) + dt.timedelta(days=data.draw(st.integers(0, 400)))
    p = ds.programmes[0]
    entry = p.units[i]
    rec = attrs.evolve(entry.recommendations[j], status=dm.RecommendationStatus.CLOSED,
                       closed_on=closed_on)
    recs2 = (*entry.recommendations[:j], rec, *entry.recommendations[j + 1:])
    units = (*p.units[:i], attrs.evolve(entry, recommendations=recs2), *p.units[i + 1:])
    ds2 = _rebuild(ds, programmes=[attrs.evolve(p, units=units)])

    def overdue(d):
        return {f.subject_id for f in ENGINE.check(d, 2023, rules=["programmes.recommendations"])
                .findings if f.status is dm.Status.FAIL}

    assert overdue(ds2) <= overdue(ds)


HOSTILE = [
    "programme = 5",
    "programme = [5]",
    "[[programme]]\nid = 5",
    '[[programme]]\nid = "a b"\nkind = "inspection"\ntitle = "t"\nstart = 2024-01-01\n'
    'end = 2024-02-01\ndocument = "d"\ntargets = ["TG-CL"]\nreport_within_days = '
    + "9" * 400,
    '[[programme]]\nid = "a"\nkind = "inspection"\ntitle = "t"\nstart = "sớm"\nend = 1\n'
    'document = "d"\ntargets = "TG-CL"\ntopic = 5\nunit = [5]\nselector = 5',
    '[[programme]]\nid = "a"\nkind = "inspection"\ntitle = "t"\nstart = 2024-01-01\n'
    'end = 2024-02-01\ndocument = "d"\n[programme.selector]\nunder = "TG"\nlevels = "x"\n'
    '[[programme.unit]]\nunit = "TG-CL"\nresults = 3\nconclusions = [["x"]]\nvisits = ["Q"]\n'
    '[[programme.unit.recommendation]]\nid = "r"\ntext = 1\naddressee = "unit"\n'
    'due = "mai"\nstatus = "open"\nclosed_on = 2024-01-01\nreconstructed = "có"\n',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_programmes_toml_is_exit_2(text, capsys, tmp_path):
    """Malformed programmes.toml gives FILE:LINE: KEY lines and exit 2, never a traceback."""
    out = tmp_path / "d"
    shutil.copytree(TG, out)
    (out / "programmes.toml").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate", out, "--no-plugins")
    assert code == 2 and "Traceback" not in err and "internal error" not in err \
        and "lỗi nội bộ" not in err
    assert all(line.startswith(str(out / "programmes.toml") + ":")
               for line in err.splitlines()[:-1])


@given(st.integers(1, 10), st.sets(st.integers(0, 9), min_size=1), _VISITS, _RECS)
def test_programmes_round_trip(n, planned, visits, recs):
    """JSON and a written-then-loaded directory give back the same programmes."""
    import tempfile

    ds = _world(n, {i % n for i in planned}, visits, recs)  # a file needs a plan
    assert dm.dataset_from_json(dm.dataset_to_json(ds)).programmes == ds.programmes
    with tempfile.TemporaryDirectory() as tmp:
        assert dm.load_dataset(dm.write_dataset(ds, f"{tmp}/d")).programmes == ds.programmes


class TestApi:
    def test_report_is_plain_data_with_every_format(self):
        """Engine.programme gives a frozen report; DataFrame rows match the CSV rows."""
        pd = pytest.importorskip("pandas")
        report = ENGINE.programme(dm.load_dataset(KT), "KT-2023", as_of=dt.date(2024, 12, 31))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            report.as_of = dt.date(2020, 1, 1)
        frame = report.to_dataframe("en")
        assert isinstance(frame, pd.DataFrame) and len(frame) == 24
        assert frame["level"].tolist().count("grassroots") == 12
        assert len(report.to_csv().splitlines()) == 25
        assert json.loads(report.to_json())["programmes"][0]["id"] == "KT-2023"

    def test_html_escapes_data(self):
        """Text from the data cannot inject markup into the HTML page."""
        ds = dm.load_dataset(KT)
        p = attrs.evolve(ds.programmes[0], title="<script>alert(1)</script>")
        page = ENGINE.programme(_rebuild(ds, programmes=[p])).to_html()
        assert "<script>" not in page and "&lt;script&gt;" in page
