"""Result workbooks print: orientation, one page wide, repeated header, title rows, wrapped
long text, one font, counts as integers and shares as percentages (issue 25).

The print settings are asserted through openpyxl; benchmarks/print_pages.py renders the
example outputs with LibreOffice and counts the pages."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from doanmodel.cli._cli import main

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("python_calamine")

HEAD = 3  # title, dataset/period, then the header


def workbook(capsys, tmp_path, *args):
    path = tmp_path / "out.xlsx"
    assert main([*map(str, args), "--xlsx", str(path), "--quiet"]) == 0
    capsys.readouterr()
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = {}
    runs = {"score": ["score", EXAMPLES / "cum-thi-dua-2023"],
            "check": ["check", EXAMPLES / "tra-vinh-2019"],
            "census": ["census", EXAMPLES / "can-bo-2021", "--as-of", "15/11/2021"],
            "score-en": ["score", EXAMPLES / "cum-thi-dua-2023", "--lang", "en"],
            "sensitivity": ["sensitivity", EXAMPLES / "cum-thi-dua-2023", "--draws", "50"],
            "programme": ["programme", EXAMPLES / "kiem-tra-2023", "--as-of", "31/12/2024"],
            "rating": ["rating", EXAMPLES / "xep-loai-2024"]}
    for name, args in runs.items():
        path = tmp_path_factory.mktemp(name) / "out.xlsx"
        # the rating example breaks the cap on purpose: exit 1, as check --strict
        assert main([*map(str, args), "--xlsx", str(path), "--quiet"]) == (name == "rating")
        out[name] = openpyxl.load_workbook(path)
    return out


@pytest.mark.parametrize("name", ["score", "check", "census", "score-en", "sensitivity",
                                  "programme", "rating"])
def test_every_sheet_is_set_up_to_print(books, name):
    """A4, an orientation, one page wide, the header row repeated, page numbers, a print
    area that is the table."""
    for ws in books[name]:
        assert ws.page_setup.orientation in ("portrait", "landscape"), ws.title
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        top = int(ws.freeze_panes[1:]) - 1  # the header row, frozen and repeated
        assert ws.print_title_rows == f"${top}:${top}", ws.title
        # a third title row: the criteria set's source (criteria sheet), the coverage (programme)
        assert top == HEAD or (ws.title in ("Tiêu chí", "Criteria", "KT-2023")
                               and top == HEAD + 1)
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.print_area.startswith(f"'{ws.title}'!$A$1:")


def test_wide_sheets_print_landscape(books):
    wb = books["score"]
    assert wb["Tiêu chí"].page_setup.orientation == "landscape"
    assert wb["Cụm thi đua số 1"].page_setup.orientation == "landscape"
    assert wb["Tổng hợp"].page_setup.orientation == "portrait"


def test_title_rows_say_what_which_year_and_which_data(books):
    ws = books["score"]["Cụm thi đua số 1"]
    assert ws["A1"].value == "Cụm thi đua số 1 — bảng điểm thi đua năm 2023"
    assert ws["A1"].font.bold and ws["A1"].font.size > ws["A4"].font.size
    about = ws["A2"].value
    assert "Các Cụm thi đua cấp huyện năm 2023" in about and "bộ tiêu chí:" in about
    assert "lập ngày" in about
    assert "A1:K1" in {str(r) for r in ws.merged_cells.ranges}
    en = books["score-en"]["Summary"]
    assert en["A1"].value == "Emulation scoreboard 2023" and "written on" in en["A2"].value
    check = books["check"].worksheets[1]
    assert "2019" in check["A2"].value and check["A1"].value.startswith("Kết quả kiểm tra")
    census = books["census"].worksheets[0]
    assert "15/11/2021" in census["A2"].value


def test_long_text_is_wrapped_in_set_widths(books):
    """The 'căn cứ' and 'được dùng cho' columns wrap at a set width, with rows tall enough."""
    sources = books["score"]["Nguồn"]
    assert [c.value for c in sources[HEAD]] == ["văn bản", "được dùng cho"]
    for col in "AB":
        assert sources.column_dimensions[col].width <= 30
        cells = [r[0 if col == "A" else 1] for r in sources.iter_rows(min_row=HEAD + 1)]
        long = [c for c in cells if len(c.value) > 1.5 * sources.column_dimensions[col].width]
        assert long and all(c.alignment.wrap_text for c in long)
        assert all(c.alignment.vertical == "top" for c in cells)  # in rows made taller
    assert any((sources.row_dimensions[r].height or 0) > 13
               for r in range(HEAD + 1, sources.max_row + 1))
    criteria = books["score"]["Tiêu chí"]
    source = [c.value for c in criteria[HEAD + 1]].index("căn cứ")
    # the set's own source once, above the table; another document on its rows, wrapped
    assert criteria["A3"].value.startswith("căn cứ của bộ tiêu chí: Bộ tiêu chí thi đua")
    cells = [r[source] for r in criteria.iter_rows(min_row=HEAD + 2)]
    assert {c.value for c in cells} >= {"(căn cứ của bộ tiêu chí)"}
    other = [c for c in cells if c.value != "(căn cứ của bộ tiêu chí)"]
    assert other and all(c.alignment.wrap_text for c in other)


def test_one_font_by_name(books):
    """Headers and data carry the same named font (no serif header over sans data)."""
    for wb in books.values():
        for ws in wb:
            top = int(ws.freeze_panes[1:]) - 1
            names = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
            assert names == {"Arial"}, ws.title
            assert all(c.font.bold for c in ws[top] if c.value is not None)


def test_counts_integers_shares_percent_points_two_decimals(books):
    ws = books["score"]["Tiêu chí"]
    head = [c.value for c in ws[HEAD + 1]]
    value, points = head.index("giá trị"), head.index("điểm")
    formats = {}
    for row in ws.iter_rows(min_row=HEAD + 2):
        v = row[value].value
        if isinstance(v, (int, float)):
            formats[float(v).is_integer() or not 0 <= v <= 1] = row[value].number_format
        assert row[points].number_format == "#,##0.00"
    assert formats[True] == "#,##0"  # 296 new members, not 296.00
    assert formats[False] == "0.0%"  # 0.81, a share
    summary = books["score"]["Tổng hợp"]
    assert summary.cell(HEAD + 1, 5).number_format == "#,##0"
    assert summary.cell(HEAD + 1, 3).number_format == "General"  # the year: 2023, not 2,023
    census = books["census"].worksheets[0]
    assert all(c.number_format == "#,##0" for c in census[HEAD + 1][1:])
    unit = books["check"].worksheets[0]
    assert unit.cell(HEAD + 1, 2).number_format == "#,##0"


def test_sensitivity_and_programme_workbooks(books):
    """sensitivity --xlsx and programme --xlsx: the same print-ready sheets, shares as %."""
    sens = books["sensitivity"]
    assert sens.sheetnames == ["Độ vững thứ hạng", "Theo tiêu chí", "Đảo hạng", "Nguồn gốc"]
    ws = sens["Độ vững thứ hạng"]
    assert ws["A1"].value == "Độ vững của thứ hạng thi đua năm 2023"
    head = [c.value for c in ws[HEAD]]
    share = head.index("XS chưa quyết")
    assert ws.cell(HEAD + 1, share + 1).number_format == "0.0%"
    prog = books["programme"]
    assert prog.sheetnames[:2] == ["KT-2023", "KT-2023 — kiến nghị"]
    ws = prog["KT-2023"]
    assert ws["A1"].value.startswith("KT-2023 — ") and ws["A2"].value.startswith("Độ bao phủ")
    assert ws.print_title_rows == "$4:$4"  # three title rows above this header
    assert ws.page_setup.orientation == "landscape"


def test_rating_workbook_speaks_vietnamese_and_lists_what_did_not_pass(books):
    """The rating workbook: labels, not codes; the findings sheet holds the fails and the
    no-data findings (the example's three fails among them), the sources sheet every rule."""
    wb = books["rating"]
    assert wb.sheetnames == ["Xếp loại", "Kết luận", "Nguồn"]
    subjects = list(wb["Xếp loại"].iter_rows(min_row=HEAD + 1, values_only=True))
    assert {r[0] for r in subjects} == {"đoàn viên", "đoàn cơ sở"}
    assert {r[-1] for r in subjects} == {"đạt", "không đạt"}
    found = list(wb["Kết luận"].iter_rows(min_row=HEAD + 1, values_only=True))
    assert {r[1] for r in found} == {"không đạt", "không đủ dữ liệu"}
    assert sorted((r[0], r[3]) for r in found if r[1] == "không đạt") == [
        ("rating.cap", "XL-X2"), ("rating.ceiling", "XL-X1-A-03"),
        ("rating.stages", "XL-X1-B-02")]
    used = {rule for r in wb["Nguồn"].iter_rows(min_row=HEAD + 1, values_only=True)
            for rule in r[1].split("; ")}
    assert {"rating.cap", "rating.ceiling", "rating.stages"} <= used
