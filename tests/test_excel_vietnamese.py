"""The template speaks Vietnamese and the loader takes it (issue 25): labels in every enum
column, a decimal comma and percentages; `template` without the extra is exit 2."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.dataset._csvio import FILES, _Bad, _decimal
from doanmodel.model import _enums

ENUMS = [_enums.Level, _enums.Sector, _enums.Role, _enums.AbsenceReason,
         _enums.VisitPurpose, _enums.MeetingKind]


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def parser(file, column):
    return next(p for c, _, p in FILES[file] if c == column)


def test_template_without_openpyxl_is_exit_2_with_the_install_hint(capsys, tmp_path,
                                                                   monkeypatch):
    """After the plain install: exit 2 and the pip command, never an internal error."""
    for name in [m for m in sys.modules if m == "openpyxl" or m.startswith("openpyxl.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run(capsys, "template", tmp_path / "m.xlsx")
    assert code == 2 and "pip install 'doanmodel[excel]'" in err
    assert "lỗi nội bộ" not in err and "openpyxl" in err
    assert not (tmp_path / "m.xlsx").exists()


@pytest.mark.parametrize("cls", ENUMS)
def test_every_label_reads_as_its_code(cls):
    """Code, Vietnamese and English labels and the office's name, in any case, NFC or NFD."""
    import unicodedata

    names = _enums.names(cls)
    for member in cls:
        vi, en = _enums.LABELS[cls.__name__][member.value]
        shown = _enums.office_label(cls, member.value, "vi")
        for said in (member.value, vi, en, shown, shown.upper(),
                     unicodedata.normalize("NFD", shown)):
            assert names[_enums._key(said)] is member, (said, member)


@pytest.mark.parametrize(("file", "column", "said", "code"), [
    ("units.csv", "level", "Huyện đoàn", "upper_grassroots"),
    ("units.csv", "level", "tỉnh đoàn", "province"),
    ("units.csv", "level", "Thành đoàn", "upper_grassroots"),
    ("units.csv", "level", "Chi đoàn", "branch"),
    ("units.csv", "level", "upper_grassroots", "upper_grassroots"),
    ("positions.csv", "role", "Bí thư", "secretary"),
    ("positions.csv", "role", "PHÓ BÍ THƯ", "deputy_secretary"),
    ("positions.csv", "role", "Uỷ viên Ban Thường vụ", "standing_member"),
    ("visits.csv", "purpose", "Điều tra, khảo sát", "survey"),
    ("meetings.csv", "kind", "Sinh hoạt chi đoàn", "branch_meeting"),
    ("absences.csv", "reason", "Nghỉ thai sản", "maternity"),
])
def test_the_loader_takes_a_label(file, column, said, code):
    assert parser(file, column)(said).value == code


def test_a_wrong_value_lists_the_labels_in_vietnamese():
    with pytest.raises(_Bad) as bad:
        parser("units.csv", "level")("Huyện")
    assert "Huyện đoàn, Đoàn cơ sở" in bad.value.text.vi
    assert "upper_grassroots" in bad.value.text.en and "Huyện" not in bad.value.text.en[20:]


@pytest.mark.parametrize(("said", "value"), [("Có", True), ("không", False), ("CÓ", True),
                                              ("yes", True), ("true", True), ("false", False)])
def test_yes_no(said, value):
    assert parser("positions.csv", "full_time")(said) is value


@pytest.mark.parametrize(("said", "value"), [
    ("0,81", "0.81"), ("85%", "0.85"), ("85,5 %", "0.855"), ("-3,5", "-3.5"),
    ("1.234,5", "1234.5"), ("0,810", "0.810"), ("296", "296"), ("0.81", "0.81"),
    ("12,75", "12.75")])
def test_decimal_comma_and_percent(said, value):
    assert _decimal(said) == Decimal(value)


def test_an_ambiguous_comma_says_so():
    """1,234 is 1234 in English and 1.234 in Vietnamese: refused, with a hint."""
    with pytest.raises(_Bad) as bad:
        _decimal("1,234")
    assert "1234" in bad.value.text.vi and "thập phân" in bad.value.text.vi
    assert "thousands" in bad.value.text.en


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False))
@example(Decimal("0.81"))
def test_a_decimal_comma_reads_as_the_point(value):
    """Wherever the comma would not be ambiguous, 'x,y' reads as 'x.y'."""
    text = str(value)
    if "." not in text:
        return
    comma = text.replace(".", ",")
    head, _, tail = text.lstrip("-").partition(".")
    if head != "0" and len(head) <= 3 and len(tail) == 3:
        return  # 1,234: refused (see above)
    assert _decimal(comma) == value


def test_a_csv_with_labels_and_a_decimal_comma_loads(tmp_path):
    """Not only workbooks: a CSV folder takes labels and 0,81 too."""
    import shutil

    root = tmp_path / "ds"
    shutil.copytree(EXAMPLES / "cum-thi-dua-2023", root)
    units = (root / "units.csv").read_text(encoding="utf-8")
    units = units.replace(",upper_grassroots,", ",Huyện đoàn,")
    (root / "units.csv").write_text(units, encoding="utf-8")
    rows = (root / "indicators.csv").read_text(encoding="utf-8").splitlines()
    share = next(i for i, r in enumerate(rows) if "_share" in r)
    cells = rows[share].split(",")
    cells[3] = f'"{Decimal(cells[3]) * 100!s}%"'
    rows[share] = ",".join(cells)
    (root / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = dm.load_dataset(root)
    before = dm.load_dataset(EXAMPLES / "cum-thi-dua-2023")
    assert {u.id: u.level for u in ds.units.values()} == \
        {u.id: u.level for u in before.units.values()}
    assert [i.value for i in ds.indicators] == [i.value for i in before.indicators]


def test_dataset_error_str_is_english():
    """str(DatasetError) is one language (English, as every error's str)."""
    problem = dm.Problem("units.csv", 2, "level", dm.Text("giá trị sai", "bad value"))
    assert str(dm.DatasetError([problem])) == "1 problem(s):\nunits.csv:2: level: bad value"


def test_missing_dependency_error_speaks_the_sessions_language(monkeypatch):
    from doanmodel._output import notebook

    monkeypatch.setitem(sys.modules, "pandas", None)
    notebook.set_language("vi")
    with pytest.raises(dm.MissingDependencyError) as caught:
        notebook.require("pandas")
    assert str(caught.value).startswith("chưa cài gói pandas")
    notebook.set_language("en")
    try:
        with pytest.raises(dm.MissingDependencyError) as caught:
            notebook.require("pandas")
        assert str(caught.value).startswith("pandas is not installed")
    finally:
        notebook.set_language("vi")


# ---------------------------------------------------------------------------- criteria sheet
def _criteria_table(data):
    """The example's criteria set as the template's criteria sheet rows."""
    from doanmodel.dataset._serialization import _toml_value
    from doanmodel.dataset._workbook import CRITERIA_COLUMNS

    rows = []
    for key, value in data.items():
        if key in ("criterion", "penalty", "award"):
            continue
        shown = ";".join(value) if key == "tie_break" else \
            _toml_value(value) if isinstance(value, dict) else value
        rows.append([f"set.{key}", shown])
    rows.append([])
    head = [*CRITERIA_COLUMNS, "kind", "max", "rank", "title_en"]
    rows.append(head)
    rows.append(["Mã", "Nhóm", "Nội dung"])  # a label row, skipped
    for kind in ("criterion", "penalty", "award"):
        for entry in data.get(kind, []):
            row = [entry.get(c) for c in head]
            row[head.index("kind")] = {"criterion": "tiêu chí", "penalty": "điểm trừ",
                                       "award": "khen thưởng"}[kind]
            rest = {k: v for k, v in entry.items() if k not in head}
            row[head.index("parameters")] = ", ".join(f"{k} = {_toml_value(v)}"
                                                      for k, v in rest.items()) or None
            rows.append(row)
    return rows


def test_the_criteria_sheet_loads_as_the_criteria_set(tmp_path):
    """One criterion per row (id, title, points, method, indicator, parameters, source), the
    set's keys above: it loads as the same criteria set, and scores the same."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    folder = EXAMPLES / "cum-thi-dua-2023"
    path = tmp_path / "cum.xlsx"
    dm.export_workbook(dm.load_dataset(folder), path)
    wb = openpyxl.load_workbook(path)
    wb.remove(wb["criteria"])
    ws = wb.create_sheet("criteria")
    before = dm.load_dataset(folder)
    for row in _criteria_table(before.criteria):
        ws.append(row)
    wb.save(path)
    after = dm.load_dataset(path)
    assert after.criteria == before.criteria
    engine = dm.Engine(load_entry_points=False)
    assert engine.score(after).to_dict() == engine.score(before).to_dict()


def test_a_bad_criteria_row_is_named_by_its_sheet_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    path = tmp_path / "mau.xlsx"
    dm.write_template(path, province="TV", year=2024)
    wb = openpyxl.load_workbook(path)
    ws = wb["criteria"]
    ws["B1"], ws["B2"], ws["B3"], ws["B4"] = "huyen-2024", "Bộ tiêu chí", 2024, "QĐ 1"
    top = next(r for r in range(1, 20) if ws.cell(r, 1).value == "id")
    assert ws.cell(top + 1, 3).value == "Nội dung"  # the label row
    row = top + 2
    ws.cell(row, 1).value = "a"
    ws.cell(row, 4).value = "40"
    ws.cell(row, 5).value = "count"
    ws.cell(row, 6).value = "new_members"
    ws.cell(row, 8).value = "points_each = [oops"
    wb.save(path)
    with pytest.raises(dm.DatasetError) as caught:
        dm.load_dataset(path)
    assert [(p.file, p.line) for p in caught.value.problems] == [("mau.xlsx[criteria]", row)]
    assert "TOML" in caught.value.problems[0].message.vi


def test_the_templates_criteria_sheet_left_empty_is_no_criteria_set(tmp_path):
    path = tmp_path / "mau.xlsx"
    pytest.importorskip("openpyxl")
    dm.write_template(path, province="TV", year=2024)
    assert dm.load_dataset(path).criteria is None


def test_a_template_filled_with_the_drop_down_labels_loads(tmp_path):
    """What a clerk picks from the drop-downs (and a decimal comma) loads as the codes."""
    import datetime as dt

    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    path = tmp_path / "mau.xlsx"
    dm.write_template(path, province="TV", year=2024)
    wb = openpyxl.load_workbook(path)
    assert wb["units"]["C3"].value == "Tỉnh đoàn"  # the province's row, as a label
    wb["units"].append(["H1", "Huyện đoàn Càng Long", "Huyện đoàn", "TV", "Nông thôn"])
    wb["cadres"].append(["C1", "Nguyễn Văn A", dt.date(1990, 5, 1)])
    wb["positions"].append(["C1", "H1", "Bí thư", "Có", dt.date(2022, 1, 1)])
    wb["visits"].append(["V1", "C1", "H1", "02/03/2024", None, "Điều tra, khảo sát"])
    wb["indicators"].append(["H1", "2024", "volunteer_share", "0,81"])
    wb["indicators"].append(["H1", "2024", "digital_members_share", "85%"])
    wb.save(path)
    ds = dm.load_dataset(path)
    assert ds.units["TV"].versions[0].level is dm.Level.PROVINCE
    assert ds.units["H1"].versions[0].level is dm.Level.UPPER_GRASSROOTS
    assert ds.units["H1"].versions[0].sector is dm.Sector.RURAL
    assert ds.positions[0].role is dm.Role.SECRETARY and ds.positions[0].full_time is True
    assert ds.visits[0].purpose is dm.VisitPurpose.SURVEY
    assert [i.value for i in ds.indicators] == [Decimal("0.81"), Decimal("0.85")]
