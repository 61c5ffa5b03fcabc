"""One root cause, not a flood (issue 25): a table that cannot be read gives its problem and
one line counting the rows that only refer to it; an empty or merged header cell over data is
named as such; a workbook that cannot be opened gives no "missing file" lines."""

from __future__ import annotations

import shutil
import sys

import pytest

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main

TV = EXAMPLES / "tra-vinh-2019"


def problems(path):
    with pytest.raises(dm.DatasetError) as info:
        dm.load_dataset(path)
    return info.value.problems


def copy(tmp_path, name=TV):
    root = tmp_path / "ds"
    shutil.copytree(name, root)
    return root


def test_without_units_one_line_counts_the_rows_that_refer_to_them(tmp_path, capsys):
    root = copy(tmp_path)
    (root / "units.csv").unlink()
    found = problems(root)
    assert [(p.file, p.line) for p in found] == [("units.csv", 0), ("units.csv", 0)]
    assert found[0].message.en == "required file is missing"
    n = int(found[1].message.en.split()[1])
    assert n > 400  # every position and visit of the example
    assert found[1].message.en == (f"and {n} rows that refer to units, which could not be "
                                   "checked because units.csv could not be read")
    assert main(["validate", str(root)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 3 and f"và {n} dòng tham chiếu đến đơn vị" in err


def test_a_unit_table_with_a_bad_header_collapses_too(tmp_path):
    root = copy(tmp_path)
    text = (root / "units.csv").read_text(encoding="utf-8")
    (root / "units.csv").write_text(text.replace("level", "tier", 1), encoding="utf-8")
    found = problems(root)
    assert all(p.file == "units.csv" for p in found)
    assert any("rows that refer to units" in p.message.en for p in found)


def test_a_real_dangling_reference_is_still_reported_row_by_row(tmp_path):
    """Units readable: a visit to a unit that does not exist is its own problem."""
    root = copy(tmp_path)
    text = (root / "visits.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[2] = "NO-SUCH-UNIT"
    text[1] = ",".join(cells)
    (root / "visits.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    found = problems(root)
    assert [(p.file, p.line, p.column) for p in found] == [("visits.csv", 2, "unit_id")]


def test_without_cadres_header_the_cadre_references_collapse(tmp_path):
    root = copy(tmp_path)
    text = (root / "cadres.csv").read_text(encoding="utf-8")
    (root / "cadres.csv").write_text(text.replace("name", "hoten", 1), encoding="utf-8")
    found = problems(root)
    assert {p.file for p in found} == {"cadres.csv"}
    assert any(p.message.en.startswith("and ") and "refer to cadres" in p.message.en
               for p in found)


def test_a_merged_header_over_data_is_named(tmp_path):
    """B1:C1 merged in cadres with data under C: named as an empty/merged header cell, and
    no knock-on lines from the rows that refer to cadres."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    root = copy(tmp_path)
    lines = (root / "cadres.csv").read_text(encoding="utf-8").splitlines()
    (root / "cadres.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cadres"
    head = lines[0].split(",")
    ws.append([head[0], head[1], None, *head[2:]])
    ws.merge_cells("B1:C1")
    for r in lines[1:]:
        c = r.split(",")
        ws.append([c[0], c[1], c[1], *(x or None for x in c[2:])])
    wb.save(root / "cadres.xlsx")
    found = problems(root)
    assert len(found) <= 2
    assert [(p.file, p.line) for p in found] == [("cadres.xlsx[cadres]", 1)] * len(found)
    assert found[0].column == "(C)" and "empty or merged" in found[0].message.en
    assert "trống hoặc bị gộp" in found[0].message.vi


def test_a_workbook_without_the_extra_gives_only_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    found = problems(EXAMPLES / "cum-thi-dua-2023.xlsx")
    assert len(found) == 1 and "pip install 'doanmodel[excel]'" in found[0].message.en
    assert not any("missing" in p.message.en for p in found)
