"""Reading datasets from Excel workbooks, through the same strict loader as CSV."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("python_calamine")

WORKBOOK = EXAMPLES / "cum-thi-dua-2023.xlsx"
FOLDER = EXAMPLES / "cum-thi-dua-2023"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def sheet(path, title, rows, **kw):
    """Write one sheet of *rows* to a new workbook at *path*."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for key, value in kw.items():
        setattr(ws, key, value)
    wb.save(path)
    return wb


def folder_with(tmp_path, name="tra-vinh-2019"):
    out = tmp_path / name
    shutil.copytree(EXAMPLES / name, out)
    return out


class TestExampleWorkbook:
    def test_loads_equal_to_the_folder(self):
        """The checked-in workbook (made by `doanmodel export`) is the folder's dataset."""
        assert dm.load_dataset(WORKBOOK) == dm.load_dataset(FOLDER)

    @pytest.mark.parametrize("command", ["validate", "check", "score"])
    def test_outputs_equal_the_folder_form(self, capsys, command):
        """validate, check and score print the same JSON for the workbook and the folder."""
        code_a, out_a, _ = run(capsys, command, FOLDER, "--format", "json")
        code_b, out_b, _ = run(capsys, command, WORKBOOK, "--format", "json")
        assert code_a == code_b == 0 and out_a == out_b

    def test_broken_copy_gives_sheet_row_column_errors(self, capsys, tmp_path):
        """A broken workbook gives every problem at once, each as workbook[sheet]:row: column,
        and exit 2."""
        wb = openpyxl.load_workbook(WORKBOOK)
        wb["units"]["F5"] = "31/02/2023"  # valid_from (row 5 of the sheet)
        wb["units"]["C6"] = "district"  # level
        wb["cadres"]["A3"] = None  # id
        path = tmp_path / "units.xlsx"
        wb.save(path)
        code, _, err = run(capsys, "validate", path, "--lang", "en")
        assert code == 2
        lines = [line.removeprefix(f"{tmp_path}/") for line in err.splitlines()]
        assert any(line.startswith("units.xlsx[units]:5: valid_from: not a date")
                   for line in lines), err
        assert any(line.startswith("units.xlsx[units]:6: level: invalid value 'district'")
                   for line in lines), err
        assert any(line.startswith("units.xlsx[cadres]:3: id: a required value is missing")
                   for line in lines), err
        assert "Traceback" not in err


class TestWhatOfficesProduce:
    def test_dates_numbers_ids_blank_rows_and_columns(self, tmp_path):
        """Real Excel dates and DD/MM/YYYY text; ids typed as numbers read as "12" and text ids
        keep their leading zeros; numbers as text; trailing empty rows and columns ignored."""
        root = folder_with(tmp_path)
        (root / "units.csv").rename(root / "units.keep")
        units = [line.split(",") for line in
                 (root / "units.keep").read_text(encoding="utf-8").splitlines()]
        (root / "units.keep").unlink()
        rows = [units[0] + [None, None]]
        rows += [[c or None for c in r] + [None, None] for r in units[1:]]
        parent = units[-1][3]
        rows.append(["007", "Chi đoàn 007", "branch", parent, None,
                     dt.datetime(2019, 1, 5), "31/12/2019", None, None])
        rows.append([12, "Chi đoàn 12", "branch", parent, None, None, None, None, None])
        rows += [[None] * 11] * 3
        sheet(root / "units.xlsx", "units", rows)
        ds = dm.load_dataset(root)
        v = ds.units["007"].versions[0]
        assert (v.valid_from, v.valid_to) == (dt.date(2019, 1, 5), dt.date(2019, 12, 31))
        assert "12" in ds.units and "12.0" not in ds.units

    def test_numbers_stored_as_text(self, tmp_path):
        """An indicator value stored as text (or as a number) is the same number."""
        root = tmp_path / "c"
        shutil.copytree(FOLDER, root)
        lines = (root / "indicators.csv").read_text(encoding="utf-8").splitlines()
        (root / "indicators.csv").unlink()
        head = lines[0].split(",")
        rows = [head] + [r.split(",") for r in lines[1:]]
        i = head.index("value")
        for k, r in enumerate(rows[1:]):
            r[i] = float(r[i]) if k % 2 else r[i]
        sheet(root / "indicators.xlsx", "indicators", rows)
        assert dm.load_dataset(root).indicators == dm.load_dataset(FOLDER).indicators

    def test_title_row_merged_header_label_row_hidden_sheet(self, tmp_path):
        """A title row above the header, a merged header cell over an empty column, a second
        header row of Vietnamese labels and a hidden helper sheet change nothing; rows are
        counted as Excel numbers them."""
        root = folder_with(tmp_path)
        lines = (root / "cadres.csv").read_text(encoding="utf-8").splitlines()
        (root / "cadres.csv").unlink()
        head = lines[0].split(",")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "cadres"
        ws.append(["DANH SÁCH CÁN BỘ"])
        ws.merge_cells("A1:E1")
        ws.append([head[0], head[1], None] + head[2:])
        ws.merge_cells("B2:C2")
        ws.append(["Mã", "Họ và tên", None, "Ngày sinh", "Giới tính", "Trình độ"])
        for r in lines[1:]:
            c = r.split(",")
            ws.append([c[0], c[1], None] + [x or None for x in c[2:]])
        ws.append(["X1", None, None, "not a date"])
        helper = wb.create_sheet("lists")
        helper.sheet_state = "hidden"
        helper.append(["secretary"])
        wb.save(root / "cadres.xlsx")
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(root)
        where = {(p.file, p.line, p.column) for p in info.value.problems}
        row = 3 + len(lines)
        assert where == {("cadres.xlsx[cadres]", row, "name"),
                         ("cadres.xlsx[cadres]", row, "birth_date")}

    def test_header_problems_name_the_header_row(self, tmp_path):
        """An unknown column and a missing required one are reported at the header's row (under
        a title row), all at once; an empty sheet has no header."""
        root = folder_with(tmp_path)
        (root / "cadres.csv").unlink()
        sheet(root / "cadres.xlsx", "cadres", [["Cán bộ"], ["id", "hoten", None, "x_ok"],
                                               ["C1", "A", None, "1"]])
        (root / "visits.csv").unlink()
        sheet(root / "visits.xlsx", "visits", [])
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(root)
        where = {(p.file, p.line, p.column) for p in info.value.problems}
        assert {("cadres.xlsx[cadres]", 2, "hoten"), ("cadres.xlsx[cadres]", 2, "name"),
                ("visits.xlsx[visits]", 1, "-")} <= where

    def test_a_data_row_is_not_taken_for_labels(self, tmp_path):
        """A first data row with one label-like value (a unit named `Tên`) is data."""
        root = folder_with(tmp_path)
        rows = [line.split(",") for line in
                (root / "units.csv").read_text(encoding="utf-8").splitlines()]
        (root / "units.csv").unlink()
        rows[1][1] = "Tên"
        sheet(root / "units.xlsx", "units", [[c or None for c in r] for r in rows])
        assert dm.load_dataset(root).units[rows[1][0]].versions[0].name == "Tên"

    def test_whole_workbook_hidden_table_sheet_is_read(self, tmp_path):
        """A table sheet that is hidden still holds data and is read."""
        wb = openpyxl.load_workbook(WORKBOOK)
        wb["cadres"].sheet_state = "hidden"
        wb.create_sheet("Hướng dẫn").append(["ghi chú của văn phòng"])
        path = tmp_path / "d.xlsx"
        wb.save(path)
        assert dm.load_dataset(path) == dm.load_dataset(FOLDER)


class TestFiles:
    @pytest.mark.parametrize("name", ["units.xls", "units.ods", "units.CSV", "units.txt",
                                      "Cadres.csv"])
    def test_unrecognised_table_file_is_reported(self, tmp_path, name):
        """A table file the loader does not read is a problem, never silently skipped."""
        root = folder_with(tmp_path)
        (root / name).write_bytes(b"id,name\n")
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(root)
        assert [(p.file, p.line) for p in info.value.problems] == [(name, 0)]
        assert "not recognised" in info.value.problems[0].message.en

    def test_units_xlsx_instead_of_units_csv(self, tmp_path):
        """units.xlsx stands in for units.csv (no misleading follow-on errors)."""
        root = folder_with(tmp_path)
        csv_rows = [line.split(",") for line in
                    (root / "units.csv").read_text(encoding="utf-8").splitlines()]
        (root / "units.csv").unlink()
        sheet(root / "units.xlsx", "Sheet1", [[c or None for c in r] for r in csv_rows])
        assert dm.load_dataset(root) == dm.load_dataset(EXAMPLES / "tra-vinh-2019")

    def test_both_csv_and_xlsx_is_a_problem(self, tmp_path):
        """Two files for one table: which one is meant is not guessed."""
        root = folder_with(tmp_path)
        sheet(root / "units.xlsx", "units", [["id", "name", "level"]])
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(root)
        assert [p.file for p in info.value.problems] == ["units.xlsx"]

    def test_without_the_extra_the_loader_says_how_to_install(self, tmp_path, monkeypatch,
                                                              capsys):
        """Without python-calamine a workbook is an error naming the extra, not ignored."""
        root = folder_with(tmp_path)
        sheet(root / "visits.xlsx", "visits", [["id"]])
        (root / "visits.csv").unlink()
        monkeypatch.setitem(sys.modules, "python_calamine", None)
        code, _, err = run(capsys, "validate", root, "--lang", "en")
        assert code == 2 and "pip install 'doanmodel[excel]'" in err
        assert "visits.xlsx" in err

    def test_a_near_miss_sheet_name_is_reported(self, tmp_path):
        """A sheet named `Units` in a whole-dataset workbook is reported, not skipped."""
        wb = openpyxl.load_workbook(WORKBOOK)
        wb["cadres"].title = "tmp"
        wb["tmp"].title = "Cadres"
        path = tmp_path / "d.xlsx"
        wb.save(path)
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(path)
        assert ("d.xlsx", "Cadres") in {(p.file, p.column) for p in info.value.problems}

    def test_workbook_numbers_decimals(self, tmp_path):
        """A workbook's number cell 0.1 reads as the decimal 0.1, not a binary float."""
        wb = openpyxl.load_workbook(WORKBOOK)
        ws = wb["indicators"]
        col = [c.value for c in ws[1]].index("value") + 1
        ws.cell(row=3, column=col).value = 0.1
        path = tmp_path / "d.xlsx"
        wb.save(path)
        values = [i.value for i in dm.load_dataset(path).indicators]
        assert Decimal("0.1") in values


cells = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
         | st.floats(allow_nan=False, allow_infinity=False, width=32)
         | st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1))
         | st.sampled_from(["id", "name", "level", "Mã", "Tên", "province", "branch", "TV",
                            "31/12/2019", "=1+2", " "])
         | st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=6))


@given(st.lists(st.lists(cells, max_size=6), max_size=6))
@settings(max_examples=30)
def test_any_sheet_is_loaded_or_reported(grid):
    """Whatever a units sheet holds, the loader loads it or reports problems; never a crash."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ds"
        shutil.copytree(EXAMPLES / "can-bo-2021", root)
        (root / "units.csv").unlink()
        sheet(root / "units.xlsx", "units", grid)
        try:
            dm.load_dataset(root)
        except dm.DatasetError as exc:
            assert all(p.file.startswith("units.xlsx") or p.file.endswith((".csv", ".toml"))
                       for p in exc.problems)


@given(st.lists(st.lists(cells | st.sampled_from(["name", "root", "year", "format", "plugins",
                                                  "parameters.visits.min_days", "[{ from = 1"]),
                         min_size=2, max_size=3), max_size=6))
@settings(max_examples=15)  # a workbook saved per example (400 passed in a one-off run)
def test_any_dataset_sheet_is_loaded_or_reported(rows):
    """Whatever the dataset sheet holds, the workbook loads or its problems are reported at
    rows of that sheet."""
    import tempfile

    wb = openpyxl.load_workbook(WORKBOOK)
    ws = wb["dataset"]
    for row in rows:
        ws.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.xlsx"
        wb.save(path)
        try:
            dm.load_dataset(path)
        except dm.DatasetError as exc:
            for p in exc.problems:
                assert p.file.startswith("d.xlsx")
                if p.file == "d.xlsx[dataset]":
                    assert 0 <= p.line <= ws.max_row
