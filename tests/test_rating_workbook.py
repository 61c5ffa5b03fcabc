"""The ratings sheet (#26 item 1): template, export, the workbook reader and notebook HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import doanmodel as dm
from doanmodel.cli._cli import main

openpyxl = pytest.importorskip("openpyxl")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "xep-loai-2024"
ENGINE = dm.Engine(load_entry_points=False)


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _without_dataset(text: str) -> dict:
    data = json.loads(text)
    data.pop("dataset", None)
    return data


@pytest.mark.parametrize(("lang", "stage", "level", "title"), [
    ("vi", "thẩm định", "hoàn thành xuất sắc nhiệm vụ", "Bước đánh giá"),
    ("en", "appraisal", "excellent", "Stage")])
def test_template_has_a_ratings_sheet_with_drop_downs(capsys, tmp_path, lang, stage, level,
                                                      title):
    """`template` writes a ratings sheet: columns, titles in the language, stage/level lists."""
    book = tmp_path / "t.xlsx"
    assert run(capsys, "template", book, "--lang", lang, "--no-plugins")[0] == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["ratings"]
    assert [c.value for c in ws[1]] == ["subject_type", "subject_id", "year", "stage", "level",
                                        "by", "on", "note"]
    assert ws["D2"].value == title
    lists = {str(dv.sqref).split(":")[0]: dv.formula1
             for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"A3", "D3", "E3"}

    def offered(formula):
        sheet, cells = formula.split("!")
        first, last = cells.replace("$", "").split(":")
        return [c.value for row in wb[sheet.strip("'")][first:last] for c in row]

    assert stage in offered(lists["D3"]) and level in offered(lists["E3"])
    assert "member" in offered(lists["A3"])


def test_workbook_rates_as_the_folder(capsys, tmp_path):
    """export → the workbook's ratings sheet → `rating` gives the folder's result exactly."""
    book = tmp_path / "xl.xlsx"
    assert run(capsys, "export", EXAMPLE, book, "--no-plugins")[0] == 0
    assert "ratings" in openpyxl.load_workbook(book, read_only=True).sheetnames
    code_f, folder, _ = run(capsys, "rating", EXAMPLE, "--format", "json", "--no-plugins")
    code_b, workbook, _ = run(capsys, "rating", book, "--format", "json", "--no-plugins")
    assert code_f == code_b
    assert _without_dataset(workbook) == _without_dataset(folder)
    ds = dm.load_dataset(book)
    api = ENGINE.rating(ds, 2024)
    assert api.findings == ENGINE.rating(dm.load_dataset(EXAMPLE), 2024).findings
    assert not api.ok and any(f.status == "fail" for f in api.findings)


def test_vietnamese_labels_in_the_sheet_are_read(capsys, tmp_path):
    """A ratings sheet filled with the drop-downs' Vietnamese labels rates as the codes do."""
    book = tmp_path / "xl.xlsx"
    run(capsys, "export", EXAMPLE, book, "--no-plugins")
    wb = openpyxl.load_workbook(book)
    ws = wb["ratings"]
    labels = {"self": "tự đánh giá", "collective": "tập thể nhận xét", "appraisal": "thẩm định",
              "decision": "quyết định", "excellent": "hoàn thành xuất sắc nhiệm vụ",
              "good": "hoàn thành tốt nhiệm vụ", "complete": "hoàn thành nhiệm vụ",
              "incomplete": "không hoàn thành nhiệm vụ"}
    for row in ws.iter_rows(min_row=3):
        for cell in row[3:5]:
            cell.value = labels.get(cell.value, cell.value)
    wb.save(book)
    _, folder, _ = run(capsys, "rating", EXAMPLE, "--format", "json", "--no-plugins")
    _, workbook, _ = run(capsys, "rating", book, "--format", "json", "--no-plugins")
    assert _without_dataset(workbook) == _without_dataset(folder)


def test_bad_cell_in_the_sheet_names_sheet_and_row(capsys, tmp_path):
    """A wrong stage in the sheet is an error naming the workbook's sheet, its row and column."""
    book = tmp_path / "xl.xlsx"
    run(capsys, "export", EXAMPLE, book, "--no-plugins")
    wb = openpyxl.load_workbook(book)
    wb["ratings"]["D5"] = "tự khen"
    wb.save(book)
    code, _, err = run(capsys, "rating", book, "--no-plugins")
    assert code == 2 and "Traceback" not in err
    assert "xl.xlsx[ratings]:5: stage" in err and "tự khen" in err


def test_rating_html_in_one_language_each():
    """The notebook view of a rating is Vietnamese by default and English on request."""
    from doanmodel._output.notebook import html_of

    report = ENGINE.rating(dm.load_dataset(EXAMPLE), 2024)
    vi, en = html_of(report, "vi"), html_of(report, "en")
    assert "<table>" in vi and "<table>" in en
    assert "thẩm định" in vi and "appraisal" not in vi
    assert "appraisal" in en and "thẩm định" not in en
