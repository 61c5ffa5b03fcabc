"""No verdict without evidence, second part (issue 22, items 3, 4, 6): columns and files found
by name, part of a year, reconstructed values per row."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

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

    TITLES = {"id": "Mã", "name": "Tên", "birth_date": "Ngày sinh", "gender": "Giới tính",
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
