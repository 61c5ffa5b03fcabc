"""No verdict without evidence, second part (issue 22, items 3, 4, 6): columns and files found
by name, part of a year, reconstructed values per row."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main

D = dt.date


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _copy(tmp_path: Path, name: str = "tra-vinh-2019") -> Path:
    out = tmp_path / name
    shutil.copytree(EXAMPLES / name, out)
    return out


def _retitle(path: Path, names: dict[str, str]) -> None:
    """Replace header cells of the CSV file *path* (code → title)."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n")
    cells = [names.get(c, c) for c in head.split(",")]
    path.write_text(",".join(cells) + "\n" + rest, encoding="utf-8")


# ---------------------------------------------------------------------------- item 3
class TestColumnsByName:
    """A CSV header (or a workbook's) may carry the template's column titles instead of the
    codes; an unknown header is an error with did-you-mean naming file, line 1 and column."""

    TITLES: ClassVar[dict[str, str]] = {"id": "Mã", "name": "Tên", "birth_date": "Ngày sinh",
                                        "gender": "Giới tính",
                                        "education": "Trình độ"}

    def test_vietnamese_titles_read_as_codes(self, tmp_path):
        path = _copy(tmp_path)
        _retitle(path / "cadres.csv", self.TITLES)
        assert dm.load_dataset(path).cadres == dm.load_dataset(EXAMPLES / "tra-vinh-2019").cadres

    def test_english_titles_and_case(self, tmp_path):
        path = _copy(tmp_path)
        _retitle(path / "visits.csv", {"cadre_id": "Cadre id", "start": "START",
                                       "report_on": "ngày nộp báo cáo"})
        assert dm.load_dataset(path).visits == dm.load_dataset(EXAMPLES / "tra-vinh-2019").visits

    def test_unknown_header_did_you_mean(self, tmp_path, capsys):
        path = _copy(tmp_path)
        _retitle(path / "cadres.csv", {"education": "Trinh do hoc van"})
        code, out, _ = run(capsys, "validate", path, "--format", "json", "--lang", "en")
        errors = json.loads(out)["errors"]
        (e,) = [e for e in errors if e["file"] == "cadres.csv" and e["line"] == 1
                and e["column"] != "-"]
        assert code == 2 and (e["line"], e["column"]) == (1, "Trinh do hoc van")
        assert e["message"].startswith("unknown column; did you mean 'education'?")
        code, _, err = run(capsys, "validate", path)
        assert "có phải là 'education'?" in err and "did you mean" not in err

    def test_title_and_code_of_one_column_is_a_duplicate(self, tmp_path):
        path = _copy(tmp_path)
        _retitle(path / "cadres.csv", {"gender": "Tên"})
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(path)
        assert ("cadres.csv", 1, "name") in {(p.file, p.line, p.column)
                                            for p in info.value.problems}

    def test_workbook_column_titles(self, tmp_path):
        openpyxl = pytest.importorskip("openpyxl")
        path = _copy(tmp_path)
        rows = [line.split(",") for line in
                (path / "cadres.csv").read_text(encoding="utf-8").splitlines()]
        (path / "cadres.csv").unlink()
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "cadres"
        ws.append([self.TITLES[c] for c in rows[0]])
        for r in rows[1:]:
            ws.append([c or None for c in r])
        wb.save(path / "cadres.xlsx")
        assert dm.load_dataset(path).cadres == dm.load_dataset(EXAMPLES / "tra-vinh-2019").cadres


class TestRenamedFiles:
    """A file whose name looks like a renamed table is a warning with did-you-mean on every
    path (the careful loader, ``--engine duckdb``, ``import``), never silently ignored."""

    @pytest.mark.parametrize("name", ["di-co-so.csv", "Đi cơ sở.csv", "visit.csv",
                                      "Di cong tac co so.csv"])
    def test_warns(self, tmp_path, name):
        path = _copy(tmp_path)
        (path / "visits.csv").rename(path / name)
        ds = dm.load_dataset(path)
        assert "visits" in ds.absent_tables
        (w,) = ds.load_warnings
        assert w.en == (f"{name}: file not read; did you mean the table 'visits'? Name the file "
                        "'visits.csv'; otherwise table visits counts as not reported")
        assert "có phải là bảng 'visits'?" in w.vi

    def test_other_files_are_not_tables(self, tmp_path):
        path = _copy(tmp_path)
        (path / "ghi-chu.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        (path / "README.md").write_text("x", encoding="utf-8")
        assert dm.load_dataset(path).load_warnings == ()

    def test_present_table_copy(self, tmp_path):
        """A second copy beside the real table: still said, without "not reported"."""
        path = _copy(tmp_path)
        shutil.copy(path / "visits.csv", path / "visits_old.csv")
        (w,) = dm.load_dataset(path).load_warnings
        assert "visits_old.csv: file not read" in w.en and "not reported" not in w.en

    def test_every_path(self, tmp_path, capsys):
        pytest.importorskip("duckdb")
        path = _copy(tmp_path)
        (path / "visits.csv").rename(path / "di-co-so.csv")
        said = "di-co-so.csv: file not read; did you mean the table 'visits'?"
        for argv in (("check", path), ("check", path, "--engine", "duckdb"),
                     ("import", path, tmp_path / "s.duckdb"), ("validate", path)):
            code, _, err = run(capsys, *argv, "--lang", "en")
            assert code == 0 and err.count(said) == 1, argv


# ---------------------------------------------------------------------------- item 4
_JUNE_30 = D(2025, 6, 30)


def _tra_vinh_2025(visit_end: dt.date = _JUNE_30) -> dm.Dataset:
    """A synthetic Trà Vinh 2025 (merged on 1/7/2025): 18 full-time cadres bound to 30/6; 12
    made 31 days of visits, 6 made 29 (the last visit on *visit_end*)."""
    meta = dm.DatasetMeta(name="Trà Vinh 2025", root="TV", year=2025)
    units = [dm.Unit(id="TV", versions=(dm.UnitVersion(
                 id="TV", name="Tỉnh đoàn Trà Vinh", level=dm.Level.PROVINCE,
                 valid_to=D(2025, 6, 30)),)),
             dm.Unit(id="X", versions=(dm.UnitVersion(
                 id="X", name="Huyện đoàn X", level=dm.Level.UPPER_GRASSROOTS, parent_id="TV",
                 valid_to=D(2025, 6, 30)),))]
    cadres = [dm.Cadre(id=f"C{i:02}", name=f"C{i}") for i in range(18)]
    pos = [dm.Position(cadre_id=c.id, unit_id="TV", role=dm.Role.COMMITTEE_MEMBER,
                       full_time=True, start=D(2020, 1, 1), end=D(2025, 6, 30)) for c in cadres]
    visits = [dm.Visit(id=f"V{i:02}", cadre_id=c.id, unit_id="X", start=D(2025, 1, 1),
                       end=D(2025, 1, 31 if i < 12 else 29), purpose=dm.VisitPurpose.SURVEY)
              for i, c in enumerate(cadres)]
    visits.append(dm.Visit(id="VL", cadre_id="C00", unit_id="X", start=visit_end,
                           purpose=dm.VisitPurpose.SURVEY))
    return dm.Dataset.build(meta, units, cadres=cadres, positions=pos, visits=visits)


def _one_province(visit_days: list[int], last: dt.date, year: int = 2024) -> dm.Dataset:
    """A province the whole *year*: one full-time cadre per entry of *visit_days*, each with
    that many visit days from 2 January (and ten one-day visits of C00 in January), and one more
    visit of C00 on *last*."""
    meta = dm.DatasetMeta(name="P", root="P", year=year)
    units = [dm.Unit(id="P", versions=(dm.UnitVersion(id="P", name="Tỉnh đoàn P",
                                                       level=dm.Level.PROVINCE),)),
             dm.Unit(id="X", versions=(dm.UnitVersion(id="X", name="Huyện đoàn X",
                                                       level=dm.Level.UPPER_GRASSROOTS,
                                                       parent_id="P"),))]
    cadres = [dm.Cadre(id=f"C{i:02}", name=f"C{i}") for i in range(len(visit_days))]
    pos = [dm.Position(cadre_id=c.id, unit_id="P", role=dm.Role.COMMITTEE_MEMBER,
                       full_time=True, start=D(2020, 1, 1)) for c in cadres]
    visits = [dm.Visit(id=f"V{i:02}", cadre_id=c.id, unit_id="X", start=D(year, 1, 2),
                       end=D(year, 1, 1) + dt.timedelta(days=n), purpose=dm.VisitPurpose.SURVEY)
              for i, (c, n) in enumerate(zip(cadres, visit_days, strict=True)) if n]
    visits.append(dm.Visit(id="VL", cadre_id="C00", unit_id="X", start=last,
                           purpose=dm.VisitPurpose.SURVEY))
    visits += [dm.Visit(id=f"VJ{k}", cadre_id="C00", unit_id="X", start=D(year, 1, 20 + k),
                        purpose=dm.VisitPurpose.SURVEY) for k in range(10)]
    return dm.Dataset.build(meta, units, cadres=cadres, positions=pos, visits=visits)


class TestPartYear:
    def test_province_ended_mid_year_is_prorated_not_cut(self):
        """Trà Vinh 2025 ends on 30/6: its visits to June cover its whole existence, so the
        verdicts stand (⌈60 × 181/365⌉ = 30 days each; 12 of 18 met, mean 30.4)."""
        report = dm.Engine(load_entry_points=False).check(_tra_vinh_2025(), 2025,
                                                          rules=["visits.quota"])
        tv = report.finding("visits.quota", "TV")
        assert tv.status is dm.Status.PASS and tv.threshold == 30 and tv.inputs["met"] == 12
        assert report.finding("visits.quota", "C17").status is dm.Status.FAIL

    def test_visits_to_june_for_a_full_year(self, tmp_path, capsys):
        """A whole-year province whose visits stop on 30/6: a cadre who already met 60 days
        passes; one short is no data (the rest of the year may hold visits), never a fail; and
        the check warns."""
        ds = _one_province([65, 20, 0], D(2024, 6, 30))
        few = [v for v in ds.visits if not v.id.startswith("VJ")]
        assert len(few) < 10  # a handful of visits: no cut guessed, short is a fail
        fewer = dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                                 positions=ds.positions, visits=few)
        assert dm.Engine(load_entry_points=False).check(fewer, 2024, rules=["visits.quota"]) \
            .finding("visits.quota", "C01").status is dm.Status.FAIL
        report = dm.Engine(load_entry_points=False).check(ds, 2024, rules=["visits.quota"])
        got = {f.subject_id: f.status for f in report.findings}
        assert got == {"C00": dm.Status.PASS, "C01": dm.Status.NO_DATA,
                       "C02": dm.Status.NO_DATA, "P": dm.Status.NO_DATA}
        c01 = report.finding("visits.quota", "C01")
        assert c01.inputs["data_end"] == D(2024, 6, 30)
        assert "visits.csv holds data only to 2024-06-30" in c01.message.en
        assert "visits.csv chỉ có số liệu đến 30/06/2024" in c01.message.vi
        path = dm.write_dataset(ds, tmp_path / "p")
        code, _, err = run(capsys, "check", path, "--lang", "en", "--rule", "visits.quota")
        assert code == 0 and "visits.csv holds data only to 2024-06-30, before the period " \
            "ends (2024-12-31)" in err
        code, _, err = run(capsys, "check", path, "--rule", "visits.quota", "--strict")
        assert code == 1 and "chỉ có số liệu đến 30/06/2024" in err

    def test_met_mean_passes_on_early_data(self):
        ds = _one_province([70, 65], D(2024, 6, 30))
        report = dm.Engine(load_entry_points=False).check(ds, 2024, rules=["visits.quota"])
        assert report.finding("visits.quota", "P").status is dm.Status.PASS

    def test_data_to_november_is_the_whole_year(self):
        """A last visit in the last quarter: the table covers the year; short is a fail."""
        ds = _one_province([65, 20], D(2024, 11, 20))
        report = dm.Engine(load_entry_points=False).check(ds, 2024, rules=["visits.quota"])
        assert report.finding("visits.quota", "C01").status is dm.Status.FAIL


# ---------------------------------------------------------------------------- item 6
def _add_column(path: Path, marks: dict[int, str]) -> None:
    """Add a ``reconstructed`` column to the CSV file *path*: data row k (1-based) → mark."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",reconstructed"]
    out += [f"{line},{marks.get(k, '')}" for k, line in enumerate(lines[1:], 1)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


class TestReconstructedRows:
    """A row may mark its values no source gave (``reconstructed``: true, or columns); every
    finding and score line resting on it says so, in both languages."""

    def _tv(self, tmp_path: Path, marks: dict[int, str]) -> Path:
        path = _copy(tmp_path)
        toml = path / "dataset.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            'reconstructed = ["cadres", "visits"]', ""), encoding="utf-8")
        _add_column(path / "visits.csv", marks)
        return path

    def test_quota_finding_names_the_row(self, tmp_path):
        path = self._tv(tmp_path, {1: "true", 2: "end;report_on"})
        ds = dm.load_dataset(path)
        first, second = ds.visits[0], ds.visits[1]
        assert first.extra == {"reconstructed": "true"}
        assert second.extra == {"reconstructed": "end;report_on"}
        report = dm.Engine(load_entry_points=False).check(ds, 2019, rules=["visits.quota"])
        f = report.finding("visits.quota", first.cadre_id)
        assert f"visits {first.id}" in f.inputs["reconstructed_rows"]
        assert f"reconstructed, not in the source: visits {first.id}" in f.message.en
        assert f"số liệu dựng lại, không có trong nguồn: visits {first.id}" in f.message.vi
        province = report.finding("visits.quota", ds.meta.root)
        assert f"visits {first.id}" in province.inputs["reconstructed_rows"]
        unmarked = {v.cadre_id for v in ds.visits[2:]} - {first.cadre_id, second.cadre_id}
        for cid in unmarked:
            g = report.finding("visits.quota", cid)
            if g is not None and not any(v in g.inputs.get("visits_counted", ())
                                         for v in (first.id, second.id)):
                assert "reconstructed_rows" not in g.inputs

    def test_false_and_empty_are_no_mark(self, tmp_path):
        path = self._tv(tmp_path, {1: "false", 2: "Không"})
        ds = dm.load_dataset(path)
        assert all("reconstructed" not in v.extra for v in ds.visits)

    def test_bad_mark_names_file_line_column(self, tmp_path, capsys):
        path = self._tv(tmp_path, {3: "ngay"})
        code, out, _ = run(capsys, "validate", path, "--format", "json", "--lang", "en")
        (e,) = json.loads(out)["errors"]
        assert code == 2 and (e["file"], e["line"], e["column"]) == ("visits.csv", 4,
                                                                     "reconstructed")
        assert "no column ngay" in e["message"]

    def test_score_line_names_the_row(self, tmp_path):
        path = _copy(tmp_path, "cum-thi-dua-2023")
        toml = path / "dataset.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text("\n".join(ln for ln in text.splitlines()
                                  if not ln.startswith("reconstructed")) + "\n",
                        encoding="utf-8")
        _add_column(path / "indicators.csv", {1: "value"})
        ds = dm.load_dataset(path)
        row = ds.indicators[0]
        board = dm.Engine(load_entry_points=False).score(ds, 2023)
        said = f"indicators {row.unit_id} {row.period} {row.indicator} (value)"
        assert said in board.to_table("en") and said in board.to_table("vi")
        assert "Rests on values reconstructed" in str(board.explain(row.unit_id).lang("en"))
        other = next(u for u in {r.unit_id for r in ds.indicators} if u != row.unit_id)
        assert said not in str(board.explain(other).lang("en"))


# ---------------------------------------------------------------------------- item 7
_DAYS = st.lists(st.integers(0, 90), min_size=1, max_size=4)


def _quota_verdicts(ds: dm.Dataset) -> dict[str, tuple[dm.Status, object]]:
    report = dm.Engine(load_entry_points=False).check(ds, 2024, rules=["visits.quota"])
    return {f.subject_id: (f.status, f.value) for f in report.findings}


@settings(max_examples=30, deadline=None)
@given(_DAYS, st.dates(D(2024, 1, 2), D(2024, 12, 31)), st.integers(0, 3),
       st.dates(D(2024, 1, 1), D(2024, 12, 31)))
@example([20, 65], D(2024, 6, 30), 1, D(2024, 12, 1))  # no_data → a judged fail: not lower
@example([0], D(2024, 3, 1), 0, D(2024, 3, 1))  # the added visit repeats a day already counted
def test_adding_a_visit_never_lowers_a_cadre(days, last, who, extra_day):
    """One more visit never lowers a cadre's visit days, never turns a pass into a fail or into
    no data, and never turns the province's pass into a fail."""
    ds = _one_province(days, last)
    who = who % len(days)
    more = dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                            positions=ds.positions,
                            visits=[*ds.visits, dm.Visit(id="VX", cadre_id=f"C{who:02}",
                                                         unit_id="X", start=extra_day,
                                                         purpose=dm.VisitPurpose.SURVEY)])
    before, after = _quota_verdicts(ds), _quota_verdicts(more)
    for sid, (status, value) in before.items():
        now, now_value = after[sid]
        if status is dm.Status.PASS:
            assert now is dm.Status.PASS, sid
        if sid.startswith("C") and value is not None and now_value is not None:
            assert now_value >= value, sid


@settings(max_examples=30, deadline=None)
@given(_DAYS, st.dates(D(2024, 9, 1), D(2024, 12, 31)), st.dates(D(2024, 1, 3), D(2024, 9, 30)))
@example([65, 20], D(2024, 11, 20), D(2024, 6, 30))
@example([0, 0], D(2024, 12, 31), D(2024, 3, 1))  # the cut leaves only the late visit out
@example([1], D(2024, 9, 1), D(2024, 1, 3))  # found by Hypothesis: 1 row left, no cut guessed
def test_cutting_the_visits_short_never_gives_a_fail(days, last, cut):
    """Visits cut at a day more than 92 days before the year ends, with ten visits or more left
    in the year: no cadre and no province fails on them (what the rest of the year could show is no
    data); a pass on what is left stays a pass."""
    ds = _one_province(days, last)
    kept = [v for v in ds.visits if (v.end or v.start) <= cut]
    if len(kept) < 10 or (D(2024, 12, 31) - max((v.end or v.start) for v in kept)).days <= 92:
        return  # a handful of rows, or a cut in the last quarter: not data that end early
    short = dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                             positions=ds.positions, visits=kept)
    for sid, (status, _) in _quota_verdicts(short).items():
        assert status is not dm.Status.FAIL, sid


@settings(max_examples=30, deadline=None)
@given(st.integers(2018, 2030), st.integers(1, 120))
@example(2024, 60)  # a leap year
@example(2025, 60)
def test_proration_on_a_full_year_is_the_full_rule(year, min_days):
    """A province and its cadres bound the whole year owe exactly min_days (the full-year rule),
    and the province's threshold is min_days, not a prorated mean."""
    params = {"visits.min_days": [{"from": D(2017, 1, 1), "value": min_days, "source": "thử"}]}
    meta = dm.DatasetMeta(name="thử", root="P", year=year, parameters=params)
    units = [dm.Unit(id="P", versions=(dm.UnitVersion(id="P", name="Tỉnh đoàn P",
                                                       level=dm.Level.PROVINCE,
                                                       valid_from=D(year, 1, 1),
                                                       valid_to=D(year, 12, 31)),))]
    pos = [dm.Position(cadre_id=c, unit_id="P", role=dm.Role.SECRETARY, full_time=True,
                       start=D(year, 1, 1), end=D(year, 12, 31)) for c in ("A", "B")]
    ds = dm.Dataset.build(meta, units, cadres=[dm.Cadre(id="A", name="A"),
                                               dm.Cadre(id="B", name="B")], positions=pos)
    report = dm.Engine(load_entry_points=False).check(ds, year, rules=["visits.quota"])
    assert {f.threshold for f in report.findings} == {min_days}
    assert report.finding("visits.quota", "P").inputs["prorated"] is False
