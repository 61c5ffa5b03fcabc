"""One door for every input (issue 21, items 3 and 5): the manifest, one form per table, links
and special files refused on every path, workbook limits, and a cap on the problems printed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.cli._shared import MAX_PRINTED
from doanmodel.dataset import _workbookguard as guard
from doanmodel.dataset._csvio import FILES, MAX_PROBLEMS
from xlsxzip import sheet_xml, write_book

GOOD = Path(__file__).parent / "data" / "good"
SRC = Path(dm.__file__).parent.parent


def _copy(tmp_path: Path, name: str = "ds") -> Path:
    out = tmp_path / name
    shutil.copytree(GOOD, out)
    return out


def _run(capsys, *argv: str, fmt: str = "json") -> tuple[int, dict, str]:
    code = main([*argv, "--format", fmt, "--lang", "en", "--no-plugins"])
    cap = capsys.readouterr()
    try:
        data = json.loads(cap.out) if cap.out.strip().startswith("{") else {}
    except json.JSONDecodeError:
        data = {}
    return code, data, cap.err


def _errors(data: dict) -> list[str]:
    return [f"{e['file']}:{e['line']}: {e['column']}: {e['message']}" for e in data["errors"]]


def _parquet(folder: Path, *stems: str) -> None:
    duckdb = pytest.importorskip("duckdb")
    for stem in stems:
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_csv('{folder / (stem + '.csv')}', header = true, "
                    f"all_varchar = true)) TO '{folder / (stem + '.parquet')}' (FORMAT parquet)")
        con.close()


PATHS = ("validate", "duckdb", "import")


def _on(path: str, folder: Path, capsys, tmp_path: Path) -> tuple[int, dict, str]:
    if path == "validate":
        return _run(capsys, "validate", str(folder))
    if path == "duckdb":
        pytest.importorskip("duckdb")
        return _run(capsys, "check", str(folder), "--engine", "duckdb")
    pytest.importorskip("duckdb")
    return _run(capsys, "import", str(folder), str(tmp_path / "s.duckdb"))


# ---------------------------------------------------------------------------- the manifest
def test_manifest_records_every_table():
    """Per table: the file read, its format, SHA-256 and rows, or that it was absent."""
    ds = dm.load_dataset(GOOD)
    assert isinstance(ds.manifest, dm.Manifest)
    assert [t.table for t in ds.manifest.tables] == list(FILES)
    members = ds.manifest["members.csv"]
    assert members == dm.TableSource(
        table="members.csv", file="members.csv", format="csv", sheet=None,
        sha256=hashlib.sha256((GOOD / "members.csv").read_bytes()).hexdigest(), rows=3)
    assert ds.manifest["programmes.toml"].absent
    assert ds.manifest["clusters.toml"].rows == 1
    assert ds.manifest["dataset.toml"].rows is None and not ds.manifest["dataset.toml"].absent


def test_manifest_survives_json():
    ds = dm.load_dataset(GOOD)
    data = json.loads(dm.dataset_to_json(ds))
    assert data["manifest"]["tables"][2]["table"] == "cadres.csv"
    assert dm.dataset_from_json(dm.dataset_to_json(ds)).manifest == ds.manifest


def test_manifest_names_the_sheet_of_a_workbook(tmp_path):
    folder = _copy(tmp_path)
    rows = [line.split(",") for line in (folder / "cadres.csv").read_text().splitlines()]
    write_book(folder / "cadres.xlsx", {"cadres": sheet_xml(rows)})
    (folder / "cadres.csv").unlink()
    t = dm.load_dataset(folder).manifest["cadres.csv"]
    assert (t.file, t.format, t.sheet, t.rows) == ("cadres.xlsx", "xlsx", "cadres", 2)
    assert t.sha256 == hashlib.sha256((folder / "cadres.xlsx").read_bytes()).hexdigest()


def test_parquet_folder_counts_and_manifest(tmp_path, capsys):
    """validate of a Parquet folder counts its members and meetings (it said 0 and 0)."""
    folder = _copy(tmp_path)
    _parquet(folder, "members", "meetings")
    (folder / "members.csv").unlink()
    (folder / "meetings.csv").unlink()
    code, data, _ = _run(capsys, "validate", str(folder))
    assert code == 0
    assert (data["members"], data["meetings"], data["indicators"], data["targets"],
            data["absences"], data["programmes"]) == (3, 2, 1, 1, 1, 0)
    from doanmodel.dataset._store import open_dataset

    t = open_dataset(str(folder), "duckdb").manifest["members.csv"]
    assert (t.file, t.format, t.rows) == ("members.parquet", "parquet", 3)


def test_store_manifest(tmp_path):
    pytest.importorskip("duckdb")
    store = tmp_path / "s.duckdb"
    assert main(["import", str(GOOD), str(store), "--quiet"]) == 0
    from doanmodel.dataset._store import open_dataset

    t = open_dataset(str(store)).manifest["members.csv"]
    assert (t.file, t.rows) == ("members.csv", 3)
    assert t.sha256 == hashlib.sha256((GOOD / "members.csv").read_bytes()).hexdigest()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_validate_counts_every_table_in_one_language(lang, capsys):
    assert main(["validate", str(GOOD), "--no-plugins", "--lang", lang]) == 0
    out = capsys.readouterr().out
    words = {"vi": ["chỉ số", "chỉ tiêu", "chương trình công tác", "đợt vắng mặt"],
             "en": ["indicators", "targets", "programmes", "absences"]}
    other = "en" if lang == "vi" else "vi"
    assert all(w in out for w in words[lang]), out
    assert not any(w in out for w in words[other]), out


# ---------------------------------------------------------------------------- one form a table
@pytest.mark.parametrize("path", PATHS)
def test_a_table_in_two_forms_is_an_error_naming_both(path, tmp_path, capsys):
    folder = _copy(tmp_path)
    _parquet(folder, "members")
    code, data, _ = _on(path, folder, capsys, tmp_path)
    assert code == 2
    assert any("members.csv and members.parquet are the same table" in e
               for e in _errors(data)), data


@pytest.mark.parametrize("path", PATHS)
def test_csv_and_workbook_of_one_table(path, tmp_path, capsys):
    folder = _copy(tmp_path)
    write_book(folder / "units.xlsx", {"units": sheet_xml([["id"]])})
    code, data, _ = _on(path, folder, capsys, tmp_path)
    assert code == 2
    assert any("units.csv and units.xlsx are the same table" in e for e in _errors(data)), data


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", ["members.csv", "members.parquet", "units.xlsx"])
def test_a_link_out_of_the_folder_is_refused_on_every_path(path, name, tmp_path, capsys):
    folder = _copy(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    stem = name.split(".")[0]
    if name.endswith(".parquet"):
        _parquet(folder, stem)
        shutil.move(folder / name, outside / name)
    elif name.endswith(".xlsx"):
        write_book(outside / name, {stem: sheet_xml([["id"]])})
    else:
        shutil.copy(folder / name, outside / name)
    (folder / f"{stem}.csv").unlink()
    (folder / name).symlink_to(outside / name)
    code, data, _ = _on(path, folder, capsys, tmp_path)
    assert code == 2
    assert f"{name}:0: -: is a symbolic link leading outside the dataset folder; not read" in \
        _errors(data), data
    assert not (tmp_path / "s.duckdb").exists()


@pytest.mark.parametrize("path", PATHS)
def test_a_folder_named_like_a_table_is_reported(path, tmp_path, capsys):
    folder = _copy(tmp_path)
    (folder / "meetings.csv").unlink()
    (folder / "meetings.csv").mkdir()
    code, data, _ = _on(path, folder, capsys, tmp_path)
    assert code == 2
    assert "meetings.csv:0: -: is a directory, not a file" in _errors(data), data


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [["validate"], ["check", "--engine", "duckdb"],
                                     ["import", "STORE"]])
@pytest.mark.parametrize("name", ["members.csv", "visits.parquet"])
def test_a_fifo_is_reported_never_opened(command, name, tmp_path):
    """Opening a FIFO would block for ever: the run must end, exit 2, naming it."""
    folder = _copy(tmp_path)
    (folder / f"{name.split('.')[0]}.csv").unlink()
    os.mkfifo(folder / name)
    argv = [str(tmp_path / "s.duckdb") if a == "STORE" else a for a in command]
    proc = subprocess.run(
        [sys.executable, "-m", "doanmodel", argv[0], str(folder), *argv[1:], "--lang", "en",
         "--no-plugins"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC)}, check=False)
    assert proc.returncode == 2, proc.stderr
    assert f"{name}:0: -: is not a regular file (a FIFO, device or socket); not read" in \
        proc.stderr


# ---------------------------------------------------------------------------- workbook limits
def test_one_far_cell_is_a_clear_error_not_an_allocation(tmp_path):
    """One cell at XFD1048576 made calamine allocate 17 billion cells (exit 134)."""
    book = write_book(tmp_path / "book.xlsx", {"units": sheet_xml(
        [["id", "name", "level"]],
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')})
    assert book.stat().st_size < 2000
    proc = subprocess.run([sys.executable, "-m", "doanmodel", "validate", str(book), "--lang",
                           "en", "--no-plugins"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "sheet 'units' uses cells up to XFD1048576" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "required file is missing" not in proc.stderr  # refused, not missing


def test_a_zip_bomb_is_refused(tmp_path, capsys):
    rows = [["id", "name", "level"], ["a" * 3_000_000, "b", "c"]]  # 3 MB that pack to 3 KB
    book = write_book(tmp_path / "units.xlsx", {"units": sheet_xml(rows)},
                      compression=zipfile.ZIP_DEFLATED)
    assert book.stat().st_size < 10_000
    folder = _copy(tmp_path)
    (folder / "units.csv").unlink()
    shutil.move(book, folder / "units.xlsx")
    info = zipfile.ZipFile(folder / "units.xlsx").getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > guard.MAX_RATIO * info.compress_size  # the premise
    code, data, _ = _run(capsys, "validate", str(folder))
    assert code == 2
    assert any("xl/worksheets/sheet1.xml' of the workbook inflates to" in e
               for e in _errors(data)), data


def test_a_part_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_PART_BYTES", 10_000)
    monkeypatch.setattr(guard, "_RATIO_FROM", 10**9)
    rows = [["id", "name", "level"]] + [[f"U{i}", f"name {i}", "branch"] for i in range(500)]
    book = write_book(tmp_path / "book.xlsx", {"units": sheet_xml(rows)})
    with pytest.raises(dm.DatasetError) as info:
        dm.load_dataset(book)
    assert any("'xl/worksheets/sheet1.xml' of the workbook is too large once decompressed"
               in p.message.en for p in info.value.problems), info.value.problems


def test_the_size_in_the_zip_header_is_not_trusted(tmp_path):
    """A part whose header understates its size is still stopped at the limit."""
    rows = [["id"]] + [[f"U{i}"] for i in range(3000)]
    book = write_book(tmp_path / "book.xlsx", {"units": sheet_xml(rows)})
    found: list[tuple] = []

    class Sink:
        def add(self, *a: object) -> None:
            found.append(a)

    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        info.file_size = 10  # the lie
        saved = guard.MAX_PART_BYTES
        try:
            guard.MAX_PART_BYTES = 20_000
            ok = guard._read_part(zf, info, Sink(), "book.xlsx", guard._Sheet())  # noqa: SLF001
        except zipfile.BadZipFile:  # the zip module's own CRC/size check: refused too
            ok = False
        finally:
            guard.MAX_PART_BYTES = saved
    assert not ok


def test_a_formula_without_a_cached_value_is_reported_by_cell(tmp_path, capsys):
    folder = _copy(tmp_path)
    rows = [line.split(",") for line in (folder / "cadres.csv").read_text().splitlines()]
    extra = ('<row r="4"><c r="A4"><f>CONCAT("C","3")</f></c>'
             '<c r="B4"><f>"x"</f><v>x</v></c></row>')
    write_book(folder / "cadres.xlsx", {"cadres": sheet_xml(rows, extra)})
    (folder / "cadres.csv").unlink()
    code, data, _ = _run(capsys, "validate", str(folder))
    assert code == 2
    errors = _errors(data)
    assert any(e.startswith("cadres.xlsx:0: cadres!A4: a formula without a computed value")
               for e in errors), errors
    assert not any("B4" in e for e in errors)


# ---------------------------------------------------------------------------- the problem cap
def _many_bad_rows(tmp_path: Path, n: int) -> Path:
    folder = _copy(tmp_path)
    lines = [(folder / "members.csv").read_text().splitlines()[0]]
    lines += [f"b{i},C1,2000-01-01,not-a-date,,,," for i in range(n)]
    (folder / "members.csv").write_text("\n".join(lines) + "\n")
    return folder


def test_problems_printed_are_capped(tmp_path, capsys):
    n = MAX_PROBLEMS + 5_000
    folder = _many_bad_rows(tmp_path, n)
    code, _, err = _run(capsys, "validate", str(folder), fmt="table")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == MAX_PRINTED + 2
    assert lines[-2] == f"… and {n - MAX_PRINTED:,} more"
    assert lines[-1] == f"{n:,} problem(s); nothing was loaded."
    code, data, _ = _run(capsys, "validate", str(folder))
    assert len(data["errors"]) == MAX_PROBLEMS and data["omitted"] == 5_000


def test_problems_capped_in_vietnamese(tmp_path, capsys):
    folder = _many_bad_rows(tmp_path, MAX_PRINTED + 7)
    assert main(["validate", str(folder), "--no-plugins"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2] == "… và 7 lỗi khác"
    assert lines[-1] == f"{MAX_PRINTED + 7} lỗi; dữ liệu không được nạp."


@pytest.mark.parametrize("path", PATHS)
def test_a_3mb_cell_is_a_problem_on_every_path(path, tmp_path, capsys):
    """DuckDB's max_line_size made it exit 70 on --engine duckdb and import."""
    folder = _copy(tmp_path)
    with open(folder / "members.csv", "a", encoding="utf-8") as handle:
        handle.write("m9,C1,2000-01-01,2018-03-26,," + "x" * 3_000_000 + ",,\n")
    code, data, _ = _on(path, folder, capsys, tmp_path)
    assert code == 2
    assert _errors(data) == ["members.csv:5: -: a cell is longer than 1024 KiB (the limit of "
                             "one cell); the rest of the file was not read"]


def test_import_refuses_a_workbook_table_by_name(tmp_path, capsys):
    """A store keeps the files it read; a sheet has no CSV file to keep (its rows were lost)."""
    pytest.importorskip("duckdb")
    folder = _copy(tmp_path)
    rows = [line.split(",") for line in (folder / "cadres.csv").read_text().splitlines()]
    write_book(folder / "cadres.xlsx", {"cadres": sheet_xml(rows)})
    (folder / "cadres.csv").unlink()
    code, data, _ = _run(capsys, "import", str(folder), str(tmp_path / "s.duckdb"))
    assert code == 2
    assert _errors(data) == ["cadres.xlsx:0: -: import keeps CSV, TOML and Parquet files; "
                             "save cadres.xlsx as cadres.csv"]
    assert not (tmp_path / "s.duckdb").exists()
