"""Office-ready workbooks, the template, export round trips, safe writes, no injection."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import tempfile
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel._output.safe import (
    FORMULA_START,
    OutputError,
    OutputExistsError,
    atomic_write,
    neutralise,
)
from doanmodel.cli._cli import main
from doanmodel.model._i18n import nfc
from strategies import tree_dataset, trees

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("python_calamine")

FOLDER = EXAMPLES / "cum-thi-dua-2023"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def renamed(tmp_path, unit_id, name):
    """A copy of the cluster example where *unit_id* is called *name*."""
    root = tmp_path / "ds"
    shutil.copytree(FOLDER, root)
    ds = dm.load_dataset(root)
    rows = (root / "units.csv").read_text(encoding="utf-8").splitlines()
    out = [rows[0]]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in csv.reader(rows[1:]):
        if row[0] == unit_id:
            row[1] = name
        writer.writerow(row)
    (root / "units.csv").write_text("\n".join(out) + "\n" + buf.getvalue(), encoding="utf-8")
    assert dm.load_dataset(root).units[unit_id].versions[0].name == name
    assert ds.units[unit_id]
    return root


def is_formula(cell: str) -> bool:
    """What a spreadsheet would run: text starting with = + - @ TAB CR, not a plain number."""
    return cell[:1] in FORMULA_START and neutralise(cell) != cell


# ---------------------------------------------------------------------------- injection
class TestNoInjection:
    @given(st.text())
    @example("=HYPERLINK(\"http://x\",\"y\")")
    @example("\t=1+2")
    @example("-3")
    def test_csv_never_holds_a_formula(self, text):
        """Any text written through the CSV output reads back as no formula."""
        from doanmodel._render import csv_text

        out = csv_text(["name"], [[text]])
        cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
        assert not any(is_formula(c) for c in cells)
        assert cells[1] == text or cells[1] == "'" + text

    @given(st.lists(st.text(), min_size=1, max_size=20))
    @example(["=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(A1)", "-cmd", "\rx"])
    def test_workbook_text_cells_are_strings(self, texts):
        """Any text written to a workbook reads back as a string cell, never a formula."""
        from doanmodel._output.excel import _ILLEGAL, new_workbook, put

        wb = new_workbook()
        ws = wb.create_sheet("t")
        for i, text in enumerate(texts, 1):
            put(ws, i, 1, text)
        buf = io.BytesIO()
        wb.save(buf)
        back = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["t"]
        for i, text in enumerate(texts, 1):
            cell = back.cell(row=i, column=1)
            kept = _ILLEGAL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
            if kept:  # XML reads a CR as a line feed
                assert cell.data_type == "s" and cell.value == kept

    def test_score_csv_and_xlsx_with_a_formula_name(self, capsys, tmp_path):
        """A unit named `=HYPERLINK(…)` is text in score's CSV and workbook."""
        name = '=HYPERLINK("http://x","y")'
        root = renamed(tmp_path, "H01", name)
        code, out, _ = run(capsys, "score", root, "--format", "csv", "--xlsx",
                           tmp_path / "s.xlsx")
        assert code == 0 and "'" + name.replace('"', '""') in out
        assert not any(is_formula(c) for row in csv.reader(io.StringIO(out)) for c in row)
        wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == name]
        assert cells and all(c.data_type == "s" for c in cells)

    def test_check_and_validate_csv_are_neutralised(self, capsys, tmp_path):
        """check's message cells and validate's error cells are neutralised in CSV."""
        root = tmp_path / "tv"
        shutil.copytree(EXAMPLES / "tra-vinh-2019", root)
        text = (root / "cadres.csv").read_text(encoding="utf-8")
        (root / "cadres.csv").write_text(text.replace("Huỳnh Thị Hằng Nga", "=1+2"),
                                         encoding="utf-8")
        code, out, _ = run(capsys, "check", root, "--format", "csv")
        assert code == 0 and "=1+2" in out
        assert not any(is_formula(c) for row in csv.reader(io.StringIO(out)) for c in row)
        (root / "units.csv").write_text("id,name,level\n=A1,x,=cmd\n", encoding="utf-8")
        code, out, _ = run(capsys, "validate", root, "--format", "csv")
        assert code == 2 and "=cmd" in out
        assert not any(is_formula(c) for row in csv.reader(io.StringIO(out)) for c in row)


# ---------------------------------------------------------------------------- safe writes
class TestSafeWrites:
    def test_dangling_symlink_is_refused(self, capsys, tmp_path):
        """--xlsx through a dangling symlink writes nothing, even with --force (exit 2)."""
        link = tmp_path / "out.xlsx"
        target = tmp_path / "elsewhere.xlsx"
        link.symlink_to(target)
        for extra in ([], ["--force"]):
            code, _, err = run(capsys, "score", FOLDER, "--xlsx", link, *extra, "--lang", "en")
            assert code == 2 and "symbolic link" in err
        assert not target.exists() and os.path.islink(link)

    def test_existing_file_needs_force(self, capsys, tmp_path):
        """An existing file is kept unless --force; the error names the option."""
        path = tmp_path / "c.xlsx"
        path.write_bytes(b"keep")
        code, _, err = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--xlsx", path)
        assert code == 2 and "--force" in err and path.read_bytes() == b"keep"
        code, _, _ = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--xlsx", path, "--force")
        assert code == 0 and openpyxl.load_workbook(path).sheetnames
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]  # no temp file left

    def test_interrupted_write_leaves_nothing(self, tmp_path):
        """A write that fails half-way leaves neither the file nor a temporary one."""
        def boom(handle):
            handle.write(b"half")
            raise RuntimeError("interrupted")

        with pytest.raises(RuntimeError):
            atomic_write(tmp_path / "x.xlsx", boom)
        assert list(tmp_path.iterdir()) == []

    def test_api_errors(self, tmp_path):
        """The Python API raises OutputExistsError (a FileExistsError) and OutputError."""
        atomic_write(tmp_path / "a", "x")
        with pytest.raises(OutputExistsError):
            atomic_write(tmp_path / "a", "y")
        assert atomic_write(tmp_path / "a", "y", force=True).read_text() == "y"
        (tmp_path / "l").symlink_to(tmp_path / "a")
        with pytest.raises(OutputError):
            atomic_write(tmp_path / "l", "z", force=True)
        assert (tmp_path / "a").read_text() == "y"

    def test_without_openpyxl_the_error_says_how_to_install(self, capsys, tmp_path,
                                                            monkeypatch):
        """score --xlsx without the extra: exit 2 and the pip command."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        code, _, err = run(capsys, "score", FOLDER, "--xlsx", tmp_path / "s.xlsx")
        assert code == 2 and "pip install 'doanmodel[excel]'" in err


# ---------------------------------------------------------------------------- formatting
#: result sheets: a title row, the dataset/period row, then the header (row 3)
HEAD = 3


def headers(wb):
    return {c.value for ws in wb for c in ws[HEAD] if isinstance(c.value, str)}


class TestOfficeReady:
    def test_score_workbook(self, capsys, tmp_path):
        """Frozen bold header, 2-decimal totals as numbers, the year a number, sheets named
        after clusters, sources and provenance sheets, one language per workbook."""
        vi, en = tmp_path / "vi.xlsx", tmp_path / "en.xlsx"
        assert run(capsys, "score", FOLDER, "--xlsx", vi)[0] == 0
        assert run(capsys, "score", FOLDER, "--xlsx", en, "--lang", "en")[0] == 0
        wb = openpyxl.load_workbook(vi)
        board = dm.Engine(load_entry_points=False).score(dm.load_dataset(FOLDER))
        first = board.clusters[0]
        ws = wb[first.name[:31]]
        assert ws.freeze_panes == "A4" and ws["A3"].font.bold and ws.auto_filter.ref
        assert [c.value for c in ws[HEAD]][:4] == ["hạng", "mã", "đơn vị", "tổng"]
        total = ws["D4"]
        assert total.data_type == "n" and total.number_format == "#,##0.00"
        assert total.value == pytest.approx(float(first.standings[0].total))
        assert ws.column_dimensions["K"].hidden  # the exact total
        summary = wb["Tổng hợp"]
        assert isinstance(summary["C4"].value, int) and summary["C4"].value == board.year
        assert {"Nguồn", "Nguồn gốc"} <= set(wb.sheetnames)
        docs = [r[0].value for r in wb["Nguồn"].iter_rows(min_row=HEAD + 1)]
        assert board.criteria_source in docs
        prov = {r[0].value for r in wb["Nguồn gốc"].iter_rows(min_row=HEAD + 1)}
        assert {"phiên bản doanmodel", "bộ tiêu chí", "ngày lập"} <= prov
        wb_en = openpyxl.load_workbook(en)
        assert [c.value for c in wb_en[first.name[:31]][HEAD]][:4] == ["rank", "unit id", "unit",
                                                                    "total"]
        assert {"Summary", "Criteria", "Sources", "Provenance"} <= set(wb_en.sheetnames)
        assert not headers(wb) & headers(wb_en)
        # the criteria sheet has a third title row (the criteria set's source)
        how = {r[10].value for r in wb["Tiêu chí"].iter_rows(min_row=HEAD + 2)}
        assert "reported" not in how and how <= {"báo cáo", "từ dữ liệu", "thiếu"}

    def test_what_if_writes_the_changed_board(self, capsys, tmp_path):
        """score --weight … --xlsx writes the board under the what-if, not nothing."""
        path = tmp_path / "w.xlsx"
        code, _, _ = run(capsys, "score", FOLDER, "--weight", "xay-dung-doan.ket-nap=80",
                         "--xlsx", path)
        assert code == 0 and "Tổng hợp" in openpyxl.load_workbook(path).sheetnames

    def test_sheet_names_trimmed_and_unique(self):
        """Cluster names longer than 31 characters, or alike, give distinct valid titles."""
        from doanmodel._output.excel import sheet_title

        used: set[str] = set()
        long = "Cụm thi đua các huyện đoàn miền núi phía tây: khu vực [1]"
        a, b = sheet_title(long, used), sheet_title(long, used)
        assert len(a) <= 31 and len(b) <= 31 and a != b
        assert not set("[]:*?/\\") & set(a + b)

    def test_check_workbook(self, capsys, tmp_path):
        """check --xlsx: a sheet per rule family, a summary per unit, sources, provenance."""
        path = tmp_path / "c.xlsx"
        code, _, _ = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--xlsx", path)
        assert code == 0
        wb = openpyxl.load_workbook(path)
        # issue 22: the example reports no members nor meetings, so their rule families have a
        # sheet too, holding their no-data findings
        assert wb.sheetnames[:2] == ["Tổng hợp theo đơn vị", "Đi cơ sở"]
        assert wb.sheetnames[-2:] == ["Nguồn", "Nguồn gốc"]
        for name in wb.sheetnames[2:-2]:
            rows = wb[name].iter_rows(min_row=HEAD + 1)
            assert {r[4].value for r in rows} == {"không đủ dữ liệu"}
        ws = wb["Đi cơ sở"]
        assert ws.freeze_panes == "A4"
        assert [c.value for c in ws[HEAD]][:5] == ["quy định", "tên quy định", "đối tượng", "mã",
                                               "kết quả"]
        assert {r[4].value for r in ws.iter_rows(min_row=HEAD + 1)} <= {"đạt", "không đạt",
                                                                  "không áp dụng"}
        assert all(isinstance(r[5].value, (int, float)) for r in ws.iter_rows(min_row=HEAD + 1)
                   if r[5].value is not None)
        prov = {r[0].value: r[2].value for r in wb["Nguồn gốc"].iter_rows(min_row=HEAD + 1)}
        assert prov["năm"] == 2019
        report = dm.Engine().check(dm.load_dataset(EXAMPLES / "tra-vinh-2019"), year=2019)
        units = {r[0]: r for r in wb["Tổng hợp theo đơn vị"].iter_rows(min_row=HEAD + 1,
                                                                        values_only=True)}
        assert set(units) == {"TV"}  # every cadre of the example is in Trà Vinh
        assert units["TV"][1:5] == (report.summary()["pass"], report.summary()["fail"],
                                    report.summary()["not_applicable"],
                                    report.summary()["no_data"])

    def test_census_workbook(self, capsys, tmp_path):
        """census --xlsx: counts as numbers, the date as a date, English with --lang en."""
        path = tmp_path / "n.xlsx"
        code, _, _ = run(capsys, "census", EXAMPLES / "can-bo-2021", "--as-of", "15/11/2021",
                         "--xlsx", path, "--lang", "en")
        assert code == 0
        wb = openpyxl.load_workbook(path)
        ws = wb["Cadre census"]
        assert ws["A3"].value == "level" and isinstance(ws["C4"].value, int)
        prov = {r[0].value: r[2] for r in wb["Provenance"].iter_rows(min_row=HEAD + 1)}
        assert prov["as of"].is_date and prov["as of"].value.date().isoformat() == "2021-11-15"


# ---------------------------------------------------------------------------- template
class TestTemplate:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_sheets_notes_lists_instructions(self, capsys, tmp_path, lang):
        """Every table sheet has its headers with a note each, drop-down lists for the
        enumerations and date checks; the instructions are in the chosen language."""
        path = tmp_path / "mau.xlsx"
        code, _, _ = run(capsys, "template", path, "--lang", lang, "--year", "2024")
        assert code == 0
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[0] == ("Instructions" if lang == "en" else "Hướng dẫn")
        text = " ".join(str(c.value) for c in wb.worksheets[0]["A"])
        assert ("Each sheet" in text) == (lang == "en") and ("Mỗi trang" in text) == (lang == "vi")
        for name in ["units", "cadres", "positions", "visits", "meetings", "members",
                     "clusters"]:
            ws = wb[name]
            assert all(c.comment is not None for c in ws[1])
            assert ("Example:" if lang == "en" else "Ví dụ:") in ws["A1"].comment.text
        lists = {(ws.title, dv.formula1) for ws in wb for dv in ws.data_validations.dataValidation
                 if dv.type == "list"}
        # the level drop-down offers labels (kept on a hidden sheet: labels hold commas)
        level = next(dv.formula1 for dv in wb["units"].data_validations.dataValidation
                     if str(dv.sqref).startswith("C3:"))  # units.level
        sheet, _, cells = level.partition("!")
        offered = [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
        assert offered == (["central", "province", "upper-grassroots", "grassroots",
                            "branch group", "branch", "sub-branch"] if lang == "en" else
                           ["Trung ương Đoàn", "Tỉnh đoàn", "Huyện đoàn", "Đoàn cơ sở",
                            "Liên chi đoàn", "Chi đoàn", "Phân đoàn"])
        assert wb[sheet.strip("'")].sheet_state == "hidden"
        assert {t for t, _ in lists} >= {"units", "positions", "visits", "meetings", "members",
                                         "absences"}
        assert any(dv.type == "date" for dv in wb["visits"].data_validations.dataValidation)
        # id and period columns are text, so 007 and 2023-03 stay as typed
        assert wb["units"].column_dimensions["A"].number_format == "@"
        assert wb["indicators"].column_dimensions["B"].number_format == "@"

    def test_a_filled_template_loads(self, capsys, tmp_path):
        """Filled in with openpyxl (real dates, ids as numbers), the template loads as is."""
        import datetime as dt

        path = tmp_path / "mau.xlsx"
        assert run(capsys, "template", path, "--province", "TV", "--year", "2024")[0] == 0
        wb = openpyxl.load_workbook(path)
        wb["units"].append(["H1", "Huyện đoàn 1", "upper_grassroots", "TV", "rural"])
        wb["units"].append([101, "Chi đoàn 101", "branch", "H1"])
        wb["cadres"].append(["C1", "Nguyễn Văn A", dt.date(1990, 5, 1), "M", "Đại học"])
        wb["positions"].append(["C1", "H1", "secretary", "true", dt.date(2022, 1, 1)])
        wb["visits"].append(["V1", "C1", 101, "02/03/2024", None, "survey"])
        wb["clusters"].append(["cum-1", "Cụm 1", 2024, "H1", "H1"])
        wb.save(path)
        ds = dm.load_dataset(path)
        assert ds.meta.root == "TV" and ds.meta.year == 2024
        assert set(ds.units) == {"TV", "H1", "101"}
        assert ds.visits[0].start == dt.date(2024, 3, 2) and ds.visits[0].unit_id == "101"
        assert ds.clusters[0].members == ("H1",)

    def test_never_over_an_existing_file(self, capsys, tmp_path):
        """template refuses an existing file without --force (exit 2)."""
        path = tmp_path / "mau.xlsx"
        path.write_text("x")
        code, _, err = run(capsys, "template", path)
        assert code == 2 and "--force" in err
        assert run(capsys, "template", path, "--force")[0] == 0


# ---------------------------------------------------------------------------- export
texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                min_size=1, max_size=12).map(lambda s: nfc(s.strip())).filter(
    lambda s: bool(s) and s == nfc(s.strip()))


@st.composite
def datasets(draw):
    """A valid dataset: a tree, cadres with any names (`=…` too), positions and visits."""
    from doanmodel.testing.strategies import dates, decimals, periods

    versions = draw(trees(max_units=8))
    versions = [dm.UnitVersion(id=v.id, name=draw(texts), level=v.level, parent_id=v.parent_id,
                               extra=draw(st.dictionaries(st.just("x_note"), texts, max_size=1)))
                for v in versions]
    n = draw(st.integers(0, 4))
    cadres = [dm.Cadre(id=f"C{i:03d}", name=draw(texts), birth_date=draw(st.none() | dates),
                       education=draw(st.none() | texts)) for i in range(n)]
    ids = [v.id for v in versions]
    positions = [dm.Position(cadre_id=c.id, unit_id=draw(st.sampled_from(ids)),
                             role=draw(st.sampled_from(dm.Role)), start=draw(dates),
                             full_time=draw(st.booleans())) for c in cadres]
    visits = [dm.Visit(id=f"V{i}", cadre_id=c.id, unit_id=draw(st.sampled_from(ids)),
                       start=draw(dates), purpose=draw(st.sampled_from(dm.VisitPurpose)),
                       order_ref=draw(st.none() | texts)) for i, c in enumerate(cadres)]
    indicators = [dm.Indicator(unit_id=uid, period=draw(periods), indicator="new_members",
                               value=draw(decimals)) for uid in ids[:3]]
    return tree_dataset(versions, cadres=cadres, positions=positions, visits=visits,
                        indicators=indicators)


class TestExport:
    @pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()
                                            if (p / "dataset.toml").exists()))
    def test_examples_round_trip(self, capsys, tmp_path, name):
        """`doanmodel export` of every example loads back equal."""
        out = tmp_path / f"{name}.xlsx"
        assert run(capsys, "export", EXAMPLES / name, out)[0] == 0
        assert dm.load_dataset(out) == dm.load_dataset(EXAMPLES / name)

    def test_synth_round_trip(self, tiny, tmp_path):
        """A synthetic dataset (members, meetings) round-trips through a workbook."""
        from doanmodel._output.xlsxdata import export_dataset

        assert dm.load_dataset(export_dataset(tiny, tmp_path / "t.xlsx")) == tiny

    @given(datasets())
    @example(tree_dataset(
        [dm.UnitVersion(id="P0", name="=HYPERLINK(\"http://x\",\"y\")",
                        level=dm.Level.PROVINCE, extra={"x_note": "+1"}),
         dm.UnitVersion(id="007", name="@SUM(A1)", level=dm.Level.GRASSROOTS, parent_id="P0"),
         dm.UnitVersion(id="12", name="-3", level=dm.Level.BRANCH, parent_id="007")],
        cadres=[dm.Cadre(id="0012", name="=1+2", birth_date=dm.parse_date("01/02/1995"))],
        indicators=[dm.Indicator(unit_id="12", period=dm.parse_period("2023-03"),
                                 indicator="x", value=Decimal("0.1"))]))
    def test_any_dataset_round_trips(self, ds):
        """Any valid dataset written as a workbook loads back equal."""
        from doanmodel._output.xlsxdata import export_dataset

        with tempfile.TemporaryDirectory() as tmp:
            assert dm.load_dataset(export_dataset(ds, f"{tmp}/d.xlsx")) == ds

    def test_export_never_overwrites(self, capsys, tmp_path):
        """export refuses an existing file without --force."""
        out = tmp_path / "d.xlsx"
        out.write_text("x")
        code, _, err = run(capsys, "export", FOLDER, out, "--lang", "en")
        assert code == 2 and "--force" in err and out.read_text() == "x"


class TestPythonApi:
    def test_public_functions(self, tmp_path, engine, tra_vinh):
        """dm.write_excel (any result), dm.export_workbook and dm.write_template."""
        dm.write_excel(engine.check(tra_vinh, year=2019), tmp_path / "c.xlsx", "en")
        assert "Summary by unit" in openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames
        dm.write_excel(dm.census(tra_vinh), tmp_path / "n.xlsx")
        assert "Thống kê cán bộ" in openpyxl.load_workbook(tmp_path / "n.xlsx").sheetnames
        with pytest.raises(FileExistsError):
            dm.write_excel(dm.census(tra_vinh), tmp_path / "n.xlsx")
        assert dm.load_dataset(dm.export_workbook(tra_vinh, tmp_path / "d.xlsx",
                                                  lang="en")) == tra_vinh
        dm.write_template(tmp_path / "t.xlsx", year=2025)
        with pytest.raises(dm.DatasetError) as info:  # an empty template says what to fill
            dm.load_dataset(tmp_path / "t.xlsx")
        assert {(p.file, p.column) for p in info.value.problems} == {
            ("t.xlsx[dataset]", "name"), ("t.xlsx[dataset]", "root")}
